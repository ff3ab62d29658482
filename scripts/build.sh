#!/usr/bin/env bash
# Installs missing Debian packages and builds an optimised gaitbatch in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh || { echo "build.sh: FAILED at step: install dependencies" >&2; exit 1; }
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null || { echo "build.sh: FAILED at step: configure" >&2; exit 1; }
cmake --build build -j "$(nproc)" --target gaitbatch_cli >/dev/null || { echo "build.sh: FAILED at step: build" >&2; exit 1; }
echo "build.sh: built build/gaitbatch"
