# Disk-full and read-only output (issue 7): the batch output on a 120 KiB tmpfs fills
# up part-way. Each report that does not fit is a named error ("No space left on
# device", naming the report), no temp file or half-written report is left, every
# report on disk opens and equals an uninterrupted run, and once space is freed the
# next run completes with the same numbers. On a read-only output the batch fails
# with a named error and leaves the previous reports untouched.
# Needs mount(2) (root, not in an unprivileged container): skipped (77) otherwise.
source "$(dirname "$0")/lib/common.bash"
command -v h5dump >/dev/null || { echo "skipped: h5dump absent (hdf5-tools)"; exit 77; }

M=$T/mnt
mkdir -p "$M"
if ! mount -t tmpfs -o size=120k,mode=0755 tmpfs "$M" 2>/dev/null; then
  echo "skipped: cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)"; exit 77
fi
trap 'umount "$M" 2>/dev/null || umount -l "$M" 2>/dev/null; rm -rf "$T"' EXIT

D=$T/data
"$GB_BIN" synth -o "$D" --athletes 2 --weeks 1 --seed 5 -q
"$GB_BIN" batch "$D" -o "$T/ref" -q >/dev/null
nref=$(ls "$T/ref/runs" | wc -l)
check "reference run wrote reports" test "$nref" -ge 6

# same_summary A B: the /summary dataset of two run reports is equal
same_summary() {
  h5dump -d /summary "$1" | sed 1d > "$T/w.txt" && h5dump -d /summary "$2" | sed 1d > "$T/g.txt" &&
    cmp -s "$T/w.txt" "$T/g.txt"
}
# reports_intact DIR: every report in DIR opens and equals the reference run's
reports_intact() {
  local bad=0
  for f in "$1"/runs/*.h5; do
    [ -e "$f" ] || continue
    if ! opens "$f"; then echo "unreadable: $f"; bad=$((bad + 1)); continue; fi
    same_summary "$T/ref/runs/$(basename "$f")" "$f" || { echo "differs: $f"; bad=$((bad + 1)); }
  done
  [ "$bad" = 0 ]
}
opens() { h5dump -H "$1" >/dev/null 2>&1; }
no_temp_files() { ! ls -a "$1" "$1/runs" 2>/dev/null | grep -q '\.tmp'; }

# --- disk full --------------------------------------------------------------------------
O=$M/o
rc=0
"$GB_BIN" batch "$D" -o "$O" -j 2 >"$T/out" 2>"$T/err" || rc=$?
check "disk full: batch fails (exit $rc, want 1 or 3)" test "$rc" = 1 -o "$rc" = 3
check "disk full: the error names the report and the cause" \
  grep -q "runs/.*\.h5.*No space left on device" "$T/err"
nfull=$(ls "$O/runs" 2>/dev/null | wc -l)
echo "reports that fitted: $nfull of $nref"
check "disk full: some reports fitted, some did not" test "$nfull" -ge 1 -a "$nfull" -lt "$nref"
check "disk full: no temp file left" no_temp_files "$O"
check "disk full: every report on disk opens and equals an uninterrupted run" reports_intact "$O"
if [ -e "$O/summary.h5" ]; then
  check "disk full: summary.h5 (if any) opens" opens "$O/summary.h5"
fi

# --- space freed: the next run completes with the same numbers ---------------------------
mount -o remount,size=4m "$M"
expect_rc 0 "$GB_BIN" batch "$D" -o "$O" -j 2
check "after freeing space: every report written" test "$(ls "$O/runs" | wc -l)" = "$nref"
check "after freeing space: reports equal an uninterrupted run" reports_intact "$O"
check "after freeing space: summary written" opens "$O/summary.h5"

# --- read-only output --------------------------------------------------------------------
before=$(cd "$O" && find . -type f -exec md5sum {} + | sort)
rm -rf "$O/runs/$(ls "$O/runs" | head -n 1)"   # one report to redo
mount -o remount,ro "$M"
rc=0
"$GB_BIN" batch "$D" -o "$O" -j 2 >"$T/out" 2>"$T/err" || rc=$?
check "read-only: batch fails (exit $rc, want 1 or 3)" test "$rc" = 1 -o "$rc" = 3
check "read-only: the error names the output and the cause" grep -q "$O.*Read-only file system" "$T/err"
after=$(cd "$O" && find . -type f -exec md5sum {} + | sort)
check "read-only: the other reports are untouched" \
  test "$(echo "$before" | grep -c .)" = "$(( $(echo "$after" | grep -c .) + 1 ))"
check "read-only: remaining reports equal an uninterrupted run" reports_intact "$O"
finish
