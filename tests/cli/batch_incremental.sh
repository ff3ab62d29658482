# Nightly batch semantics (DESIGN §9): incremental re-analysis, config change, one new
# recording, identical numbers for -j 1 and -j 2, the output lock, and one corrupt plus
# one missing recording (exit 1, both in /errors, all others complete).
source "$(dirname "$0")/lib/common.bash"
# add_row MANIFEST FIELD...: appends a row padded to the header's column count
add_row() {
  local m=$1; shift
  local ncol; ncol=$(head -n 1 "$m" | awk -F, '{print NF}')
  local row; row=$(IFS=,; echo "$*")
  local have=$#
  while [ "$have" -lt "$ncol" ]; do row="$row,"; have=$((have + 1)); done
  echo "$row" >> "$m"
}

D=$T/data
"$GB_BIN" synth -o "$D" --athletes 3 --weeks 2 --seed 11 >/dev/null
n=$(($(grep -c . "$D/manifest.csv") - 1))
check "cohort has recordings" test "$n" -gt 3

expect_rc 0 "$GB_BIN" batch "$D" -o "$T/o" -j 2
check "first run analyses all $n" grep -q "analysed $n " "$T/out"
check "summary written" test -s "$T/o/summary.h5"
check "one report per run" test "$(ls "$T/o/runs" | grep -c '\.h5$')" -eq "$n"

expect_rc 0 "$GB_BIN" batch "$D" -o "$T/o" -j 2
check "second run analyses 0" grep -q "analysed 0 " "$T/out"
check "second run reuses all" grep -q "reused $n " "$T/out"

"$GB_BIN" config --dump | sed 's/^pta_high_g = .*/pta_high_g = 8.5/' > "$T/cfg.ini"
expect_rc 0 "$GB_BIN" batch "$D" -o "$T/o" -j 2 -c "$T/cfg.ini"
check "config change re-analyses all" grep -q "analysed $n " "$T/out"

# one new recording: exactly that one is analysed
"$GB_BIN" synth -o "$T/extra" --run --scenario steady --location sacrum --rate 100 --minutes 1 --seed 5 >/dev/null
f=$(ls "$T/extra" | grep -E '\.(wav|flac|csv)$' | grep -v '^manifest' | head -n 1)
cp "$T/extra/$f" "$D/new_$f"
add_row "$D/manifest.csv" "new_$f" new_run zed 2026-02-01T08:00:00Z sacrum g 16
expect_rc 0 "$GB_BIN" batch "$D" -o "$T/o" -j 2 -c "$T/cfg.ini"
check "new recording: exactly one analysed" grep -q "analysed 1 " "$T/out"

# -j 1 and -j 2 give identical bytes (reports carry no object times; fixed creation time)
expect_rc 0 "$GB_BIN" batch "$D" -o "$T/j1" -j 1
expect_rc 0 "$GB_BIN" batch "$D" -o "$T/j2" -j 2
same=1
for r in "$T/j1/runs/"*.h5; do cmp -s "$r" "$T/j2/runs/$(basename "$r")" || same=0; done
check "per-run reports byte-identical for -j 1 and -j 2" test "$same" = 1
check "summary.h5 byte-identical for -j 1 and -j 2" cmp -s "$T/j1/summary.h5" "$T/j2/summary.h5"

# a second batch on the same OUT refuses while the first holds the lock
( flock -x "$T/o/.gaitbatch.lock" sleep 3 ) &
sleep 0.5
expect_rc 3 "$GB_BIN" batch "$D" -o "$T/o"
check "lock message" grep -q "another gaitbatch batch" "$T/err"
wait

# a corrupt and a missing recording: exit 1, both in /errors, all others complete
head -c 5000 /dev/urandom > "$D/corrupt.flac"
add_row "$D/manifest.csv" corrupt.flac bad1 zed 2026-02-02T08:00:00Z sacrum g 16
add_row "$D/manifest.csv" gone.flac bad2 zed 2026-02-03T08:00:00Z sacrum g 16
expect_rc 1 "$GB_BIN" batch "$D" -o "$T/o" -j 2
check "corrupt named" grep -q "corrupt.flac" "$T/err"
check "missing named" grep -q "gone.flac" "$T/err"
if have_h5py; then
  check "summary /errors has both, /runs the rest ok" py - "$T/o/summary.h5" "$n" <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
errs = f["errors"][()]
paths = sorted(p.decode() if isinstance(p, bytes) else p for p in errs["path"])
assert len(paths) == 2 and paths[0].endswith("corrupt.flac") and paths[1].endswith("gone.flac"), paths
runs = f["runs"][()]
status = [s.decode() if isinstance(s, bytes) else s for s in runs["status"]]
assert status.count("ok") == int(sys.argv[2]) + 1, status
assert status.count("failed") == 2, status
PY
fi
finish
