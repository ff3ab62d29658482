#!/usr/bin/env bash
# Sets up and runs the whole test suite: installs missing Debian packages, builds
# gaitbatch with AddressSanitizer + UndefinedBehaviorSanitizer and -Werror, and runs
# every unit and CLI test with ctest. Idempotent; fails loudly with the step that failed.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo "== test.sh: $*"; }
fail() { echo "== test.sh: FAILED at step: $*" >&2; exit 1; }

step "install dependencies"
scripts/deps.sh --test || fail "install dependencies (scripts/deps.sh --test)"

BUILD=${GB_TEST_BUILD_DIR:-build-test}
step "configure ($BUILD, sanitizers on)"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug -DGB_SANITIZE=ON -DGB_WERROR=ON >/dev/null \
  || fail "configure (cmake)"
step "build"
cmake --build "$BUILD" -j "$(nproc)" || fail "build"
step "run tests"
ctest --test-dir "$BUILD" --output-on-failure -j "$(nproc)" --timeout 600 || fail "tests (ctest)"
