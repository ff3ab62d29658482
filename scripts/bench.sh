#!/usr/bin/env bash
# The standard benchmark (issue 6). Builds an optimised gaitbatch, generates the
# standard cases (1 h at 500 Hz and 24 h at 100 Hz; FLAC, WAV, CSV) once into
# build/bench-data, and prints:
#   1. `gaitbatch bench`: per-stage times, the decode/parse floor of the same file
#      measured in the same run, end-to-end frames/s, peak RSS;
#   2. whole-process timings (median and min-max of RUNS runs, peak RSS);
#   3. batch scaling: -j 1 vs -j 2 over 4 files;
#   4. the numpy/scipy peer (scripts/peer_numpy.py) on the same files, checking that
#      both agree on window count and cadence.
# Usage: scripts/bench.sh [--quick] [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
quick=""; [ "${1:-}" = "--quick" ] && { quick="--quick"; shift; }
RUNS=${1:-5}
step() { echo; echo "== bench.sh: $*"; }
fail() { echo "== bench.sh: FAILED at step: $*" >&2; exit 1; }
scripts/deps.sh --bench >/dev/null || fail "install dependencies"
scripts/build.sh >/dev/null || fail "build"
GB=$PWD/build/gaitbatch
DATA=build/bench-data${quick:+-quick}
mkdir -p "$DATA"

step "1. per-stage benchmark: gaitbatch bench $quick --keep $DATA --repeat 3"
if ls "$DATA"/bench_*.{flac,wav,csv} >/dev/null 2>&1; then
  "$GB" bench --repeat 3 "$DATA"/bench_*.flac "$DATA"/bench_*.wav "$DATA"/bench_*.csv || fail "gaitbatch bench"
else
  "$GB" bench $quick --keep "$DATA" --repeat 3 || fail "gaitbatch bench"
fi

step "2. whole process, $RUNS runs each (median, min-max, peak RSS)"
for f in "$DATA"/bench_*.flac "$DATA"/bench_*.wav "$DATA"/bench_*.csv; do
  python3 scripts/timeit.py "$RUNS" -- "$GB" analyze -q -o "build/bench-out" --location sacrum "$f" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%-40s median %.3f s (%.3f-%.3f)  peak RSS %.1f MiB  exit %s" % (d["cmd"].split()[-1].split("/")[-1], d["median_s"], d["min_s"], d["max_s"], d["peak_rss_mib"], d["exit_codes"]))'
done

step "3. batch scaling over 4 files: -j 1 vs -j 2"
SC=build/bench-scaling${quick:+-quick}
if [ ! -f "$SC/manifest.csv" ]; then
  mkdir -p "$SC"
  echo "path,athlete,start,location,units,full_scale_g" > "$SC/manifest.csv"
  for i in 1 2 3 4; do
    "$GB" synth -o "$SC/gen$i" --run --scenario steady --location sacrum --rate 500 \
      --minutes $([ -n "$quick" ] && echo 5 || echo 20) --format flac --seed $((40 + i)) >/dev/null || fail "synth"
    f=$(ls "$SC/gen$i"/*.flac | head -n 1); mv "$f" "$SC/run$i.flac"; rm -rf "$SC/gen$i"
    echo "run$i.flac,a$i,2026-01-0${i}T07:00:00Z,sacrum,g,16" >> "$SC/manifest.csv"
  done
fi
j1=$(python3 scripts/timeit.py 3 -- "$GB" batch "$SC" -o build/bench-scaling-out -j 1 --force -q | python3 -c 'import json,sys; print(json.load(sys.stdin)["median_s"])')
j2=$(python3 scripts/timeit.py 3 -- "$GB" batch "$SC" -o build/bench-scaling-out -j 2 --force -q | python3 -c 'import json,sys; print(json.load(sys.stdin)["median_s"])')
python3 -c "print('-j 1: %.3f s   -j 2: %.3f s   speed-up %.2fx' % ($j1, $j2, $j1 / $j2))"

step "4. numpy/scipy peer on the same files (same window count and cadence?)"
for f in "$DATA"/bench_*1h_500hz*.csv "$DATA"/bench_*1h_500hz*.flac "$DATA"/bench_*24h_100hz*.csv "$DATA"/bench_*24h_100hz*.flac; do
  [ -e "$f" ] || continue
  peer=$(python3 scripts/timeit.py 3 -- /usr/bin/python3 scripts/peer_numpy.py "$f")
  ours=$(python3 scripts/timeit.py 3 -- "$GB" analyze -q -o build/bench-out --location sacrum "$f")
  /usr/bin/python3 scripts/peer_numpy.py "$f" > build/peer.json
  "$GB" analyze --json -o build/bench-out --location sacrum "$f" > build/ours.json
  python3 - "$f" "$peer" "$ours" <<'PY'
import json, sys, h5py
f, peer, ours = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
p = json.load(open("build/peer.json")); o = json.load(open("build/ours.json"))
with h5py.File(o["report"], "r") as h:
    n_win = len(h["cadence"][()])
print("%-34s peer %.3f s / %.0f MiB  ours %.3f s / %.0f MiB  -> %.1fx faster, %.1fx less memory" % (
    f.split("/")[-1], peer["median_s"], peer["peak_rss_mib"], ours["median_s"], ours["peak_rss_mib"],
    peer["median_s"] / ours["median_s"], peer["peak_rss_mib"] / ours["peak_rss_mib"]))
print("%34s windows peer %d ours %d; median cadence peer %.1f ours %.1f spm" % (
    "", p["windows"], n_win, p["cadence_median_spm"], o["cadence_median_spm"]))
PY
done
