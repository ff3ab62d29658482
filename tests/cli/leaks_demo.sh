# Leaks (issue 7): the CLI on a small synthetic cohort (a scaled-down demo dataset)
# must free everything it allocates, through every command a nightly run uses:
# batch with 2 workers (threads), a second incremental batch (reuse path), a batch
# with a bad recording (error path), analyze and show.
# - GB_BIN built with ASan (GB_SANITIZE=ON, the CI build): LeakSanitizer checks at
#   exit (ctest sets ASAN_OPTIONS=detect_leaks=1; forced here too).
# - plain build: each command runs under valgrind --leak-check=full, and a definite
#   or indirect leak, or any memory error, is exit status 99.
# Skipped (77) when neither checker can run (no valgrind, or LSan under ptrace).
source "$(dirname "$0")/lib/common.bash"

is_asan=0
if ldd "$GB_BIN" 2>/dev/null | grep -q 'libasan' || grep -qa '__asan_init' "$GB_BIN"; then is_asan=1; fi
if [ "$is_asan" = 0 ] && ! command -v valgrind >/dev/null; then
  echo "skipped: plain build and no valgrind (apt-get install valgrind)"; exit 77
fi

# leakcheck NAME WANT_RC CMD...: runs CMD under the checker; stderr kept in $T/NAME.err
leakcheck() {
  local name=$1 want=$2; shift 2
  local rc=0
  if [ "$is_asan" = 1 ]; then
    ASAN_OPTIONS="detect_leaks=1:exitcode=99:${ASAN_OPTIONS:-}" "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
    if grep -q "LeakSanitizer does not work under ptrace\|LeakSanitizer has encountered a fatal error" "$T/$name.err"; then
      echo "skipped: LeakSanitizer cannot run here (ptrace)"; exit 77
    fi
  else
    valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
      --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
      "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
  fi
  if [ "$rc" = "$want" ]; then
    ok "$name: no leak, exit $want"
  else
    bad "$name: exit $rc (want $want; 99 = leak or memory error): $(grep -m1 -A12 'LeakSanitizer\|definitely lost\|indirectly lost\|Invalid\|uninitialised' "$T/$name.err" | head -c 1500)"
  fi
}

D=$T/cohort
"$GB_BIN" synth -o "$D" --athletes 2 --weeks 1 --seed 3 -q
nrec=$(ls "$D"/*.flac | wc -l)
check "synthetic cohort has recordings" test "$nrec" -ge 3

leakcheck batch_j2 0 "$GB_BIN" batch "$D" -o "$T/o" -j 2 -q
check "summary written" test -s "$T/o/summary.h5"
leakcheck batch_reuse 0 "$GB_BIN" batch "$D" -o "$T/o" -j 1 -q
# Error path: a garbage recording beside the good ones (exit 1, no leak).
cp -r "$D" "$T/bad"
{ printf 'RIFF\377\377\377\177WAVEfmt '; head -c 3000 /dev/zero | tr '\0' '\245'; } > "$T/bad/zz_garbage.wav"
echo "zz_garbage.wav,zz_garbage,A01,2026-01-09T07:00:00Z,tibia,g,16,steady,100,flac16,1,0.05" >> "$T/bad/manifest.csv"
leakcheck batch_error 1 "$GB_BIN" batch "$T/bad" -o "$T/ob" -j 2 -q
one=$(ls "$D"/*.flac | head -n 1)
leakcheck analyze 0 "$GB_BIN" analyze "$one" -o "$T/oa" --location tibia -q
leakcheck show 0 "$GB_BIN" show "$T/o/summary.h5"
finish
