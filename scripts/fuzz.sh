#!/usr/bin/env bash
# Fuzzes every target with libFuzzer (clang) for a given time each, growing the
# corpora in a scratch folder; crashers are left in fuzz-out/<target>/ — copy each
# into tests/fuzz/corpus/<target>/ as a regression input once fixed.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET=60] [TARGET...]   (targets: csv sndfile manifest config)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
targets=("$@"); [ ${#targets[@]} -eq 0 ] && targets=(csv sndfile manifest config)
scripts/deps.sh --fuzz || { echo "fuzz.sh: FAILED at step: install dependencies" >&2; exit 1; }
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGB_FUZZ=ON -DBUILD_TESTING=OFF \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined" >/dev/null \
  || { echo "fuzz.sh: FAILED at step: configure" >&2; exit 1; }
cmake --build build-fuzz -j "$(nproc)" >/dev/null || { echo "fuzz.sh: FAILED at step: build" >&2; exit 1; }
for t in "${targets[@]}"; do
  mkdir -p "fuzz-out/$t/corpus"
  cp -n tests/fuzz/corpus/"$t"/* "fuzz-out/$t/corpus/" 2>/dev/null || true
  echo "== fuzzing $t for ${secs}s"
  (cd "fuzz-out/$t" && ../../build-fuzz/tests/fuzz/fuzz_"$t" -max_total_time="$secs" -max_len=65536 \
     -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus 2>&1 | tail -n 12)
done
