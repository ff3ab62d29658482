#!/usr/bin/env bash
# Fuzzes every target with libFuzzer (clang, ASan+UBSan, UB aborts) for a given time
# each, growing the corpora in a scratch folder; crashers are left in fuzz-out/<target>/
# — copy each into tests/fuzz/corpus/<target>/ as a regression input once fixed.
# Runs at the lowest CPU priority (the build machine is shared). The last libFuzzer
# lines (execs, execs/s, corpus size) go to fuzz-out/<target>/stats.txt.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET=60] [TARGET...]   (targets: csv sndfile manifest config)
# Env:   FUZZ_JOBS=N  fuzz N targets at once (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
targets=("$@"); [ ${#targets[@]} -eq 0 ] && targets=(csv sndfile manifest config)
jobs=${FUZZ_JOBS:-1}
scripts/deps.sh --fuzz || { echo "fuzz.sh: FAILED at step: install dependencies" >&2; exit 1; }
CC=clang nice -n 19 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGB_FUZZ=ON \
  -DBUILD_TESTING=OFF \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
  >/dev/null || { echo "fuzz.sh: FAILED at step: configure" >&2; exit 1; }
nice -n 19 cmake --build build-fuzz -j 2 >/dev/null \
  || { echo "fuzz.sh: FAILED at step: build" >&2; exit 1; }

fuzz_one() {
  local t=$1
  mkdir -p "fuzz-out/$t/corpus"
  cp -n tests/fuzz/corpus/"$t"/* "fuzz-out/$t/corpus/" 2>/dev/null || true
  echo "== fuzzing $t for ${secs}s"
  (cd "fuzz-out/$t" && UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
     nice -n 19 ../../build-fuzz/tests/fuzz/fuzz_"$t" -max_total_time="$secs" -max_len=65536 \
     -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus >fuzz.log 2>&1 || true
   { echo "target=$t seconds=$secs corpus_files=$(ls corpus | wc -l)"
     grep -E '^stat::|^(==|SUMMARY|artifact_prefix|Test unit written)' fuzz.log || true; } > stats.txt
   cat stats.txt)
}

running=0
for t in "${targets[@]}"; do
  fuzz_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait
crashers=$(ls fuzz-out/*/crash-* fuzz-out/*/leak-* fuzz-out/*/timeout-* fuzz-out/*/oom-* 2>/dev/null || true)
if [ -n "$crashers" ]; then
  echo "fuzz.sh: crashers found:"; echo "$crashers"; exit 1
fi
echo "fuzz.sh: no crashes"
