# kill -9 of a batch at random moments: every report on disk opens and is the
# previous or the new version, and the next run completes with the numbers of an
# uninterrupted run (DESIGN §8: temp file -> fsync -> rename -> fsync folder).
source "$(dirname "$0")/lib/common.bash"

D=$T/data
"$GB_BIN" synth -o "$D" --athletes 3 --weeks 2 --seed 21 >/dev/null
"$GB_BIN" config --dump > "$T/a.ini"
sed 's/^pta_high_g = .*/pta_high_g = 8.25/' "$T/a.ini" > "$T/b.ini"
ha=$("$GB_BIN" batch "$D" -o "$T/ref_a" -c "$T/a.ini" -q >/dev/null; h5dump -a /config_hash "$T/ref_a/runs/$(ls "$T/ref_a/runs" | head -n 1)" | grep -o '"[0-9a-f]\{16\}"')
start=$(date +%s%N)
"$GB_BIN" batch "$D" -o "$T/ref_b" -c "$T/b.ini" -q >/dev/null
full_ms=$(( ($(date +%s%N) - start) / 1000000 ))
hb=$(h5dump -a /config_hash "$T/ref_b/runs/$(ls "$T/ref_b/runs" | head -n 1)" | grep -o '"[0-9a-f]\{16\}"')
check "two configs, two hashes" test "$ha" != "$hb"

O=$T/o
"$GB_BIN" batch "$D" -o "$O" -c "$T/a.ini" -q >/dev/null
kills=0 broken=0 i=0
while [ "$kills" -lt 20 ] && [ "$i" -lt 60 ]; do
  i=$((i + 1))
  cfg=$T/a.ini; [ $((i % 2)) = 0 ] && cfg=$T/b.ini
  "$GB_BIN" batch "$D" -o "$O" -c "$cfg" -q >/dev/null 2>&1 &
  pid=$!
  delay_ms=$(( (RANDOM * 7919 + i * 104729) % (full_ms * 8 / 10 + 1) ))
  sleep "$(printf '0.%03d' $((delay_ms % 1000)))"; [ "$delay_ms" -ge 1000 ] && sleep $((delay_ms / 1000))
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
  if [ -n "$state" ] && [ "$state" != Z ] && kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null || true
  for f in "$O/summary.h5" "$O"/runs/*.h5; do
    [ -e "$f" ] || continue
    if ! h5dump -H "$f" >/dev/null 2>&1; then broken=$((broken + 1)); echo "unreadable after kill $i: $f"; continue; fi
    h=$(h5dump -a /config_hash "$f" 2>/dev/null | grep -o '"[0-9a-f]\{16\}"' || true)
    if [ -n "$h" ] && [ "$h" != "$ha" ] && [ "$h" != "$hb" ]; then broken=$((broken + 1)); echo "foreign version: $f"; fi
  done
done
echo "killed $kills of $i runs mid-flight (full run ${full_ms} ms)"
check "every report opens and is the previous or the new version" test "$broken" = 0
check "at least 20 kills landed" test "$kills" -ge 20

expect_rc 0 "$GB_BIN" batch "$D" -o "$O" -c "$T/b.ini"
check "no temp files left after a complete run" bash -c "! ls -a '$O' '$O/runs' | grep -q '\.tmp\.'"
diffs=0
for r in "$T/ref_b/runs/"*.h5; do
  h5dump -d /summary "$r" > "$T/w.txt"; h5dump -d /summary "$O/runs/$(basename "$r")" > "$T/g.txt"
  sed -i '1d' "$T/w.txt" "$T/g.txt"
  cmp -s "$T/w.txt" "$T/g.txt" || { diffs=$((diffs + 1)); echo "differs: $(basename "$r")"; }
done
check "per-run summaries equal an uninterrupted run" test "$diffs" = 0
finish
