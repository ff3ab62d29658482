#!/usr/bin/env bash
# The standard benchmark (issue 6). Builds an optimised gaitbatch, generates the
# standard cases (1 h at 500 Hz and 24 h at 100 Hz; FLAC, WAV, CSV) once into
# build/bench-data, and prints:
#   1. `gaitbatch bench`: per-stage CPU times, the decode/parse floor of the same
#      file measured in the same run (and fgets+strtod for CSV), end-to-end
#      frames/s, peak RSS;
#   2. whole-process timings (median and min-max of RUNS runs, peak RSS);
#   3. per-file fixed cost: a 10 s recording, whole process;
#   4. peak RSS on 2 h at 1 kHz (FLAC, WAV, CSV; not with --quick);
#   5. batch scaling: -j 1 vs -j 2 over 4 one-hour files;
#   6. the numpy/scipy peer (scripts/peer_numpy.py) on the same files, checking that
#      both agree on window count and cadence.
# Usage: scripts/bench.sh [--quick] [RUNS=5] [STEPS=123456]
# Environment: GB_BENCH_BUILD=DIR uses an existing optimised build in DIR instead of
# building build/ (e.g. a developer's own Release folder).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=""; [ "${1:-}" = "--quick" ] && { quick="--quick"; shift; }
RUNS=${1:-5}
STEPS=${2:-123456}
step() { echo; echo "== bench.sh: $*"; }
fail() { echo "== bench.sh: FAILED at step: $*" >&2; exit 1; }
want() { [[ "$STEPS" == *"$1"* ]]; }
# synth_case DIR ID RATE_HZ MINUTES SEED: one steady sacrum run as DIR/ID.flac, .wav and
# .csv (made once; kept for later runs)
synth_case() {
  local dir=$1 id=$2 rate=$3 minutes=$4 seed=$5 fmt
  [ -f "$dir/$id.csv" ] && return 0
  rm -rf "$dir" && mkdir -p "$dir"
  for fmt in flac16 wav-float-g csv-g; do
    "$GB" synth -o "$dir/g" --run --scenario steady --location sacrum --rate "$rate" \
      --minutes "$minutes" --format "$fmt" --seed "$seed" --run-id "$id" >/dev/null \
      || fail "synth $id ($rate Hz, $minutes min)"
  done
  mv "$dir"/g/"$id".* "$dir"/ && rm -rf "$dir/g"
}
scripts/deps.sh --bench >/dev/null || fail "install dependencies"
if [ -n "${GB_BENCH_BUILD:-}" ]; then
  BUILD=$GB_BENCH_BUILD
  [ -x "$BUILD/gaitbatch" ] || fail "no $BUILD/gaitbatch"
else
  BUILD=build
  scripts/build.sh >/dev/null || fail "build"
fi
GB=$(cd "$BUILD" && pwd)/gaitbatch   # BUILD may be relative or absolute
DATA=$BUILD/bench-data${quick:+-quick}
OUT=$BUILD/bench-out
mkdir -p "$DATA" "$OUT"
echo "gaitbatch: $GB ($("$GB" --version 2>/dev/null | head -n 1)); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "shared libraries loaded at start: $(ldd "$GB" 2>/dev/null | wc -l) (static HDF5/FFTW when built with GB_STATIC_DEPS=ON)"

if want 1; then
  step "1. per-stage benchmark: gaitbatch bench --repeat 3 (CPU times; floor = decode/parse only)"
  if ls "$DATA"/bench_*.{flac,wav,csv} >/dev/null 2>&1; then
    "$GB" bench --repeat 3 "$DATA"/bench_*.flac "$DATA"/bench_*.wav "$DATA"/bench_*.csv || fail "gaitbatch bench"
  else
    "$GB" bench $quick --keep "$DATA" --repeat 3 || fail "gaitbatch bench"
  fi
fi

summary() {
  # wall median (min-max) and CPU (user + system) median: on a shared machine the
  # CPU time is the per-core cost, the wall time includes waiting for a core
  python3 -c 'import json,sys; d=json.load(sys.stdin); print("%-40s median %.3f s (%.3f-%.3f)  CPU %.4f s  peak RSS %.1f MiB  exit %s" % (sys.argv[1], d["median_s"], d["min_s"], d["max_s"], d["cpu_median_s"], d["peak_rss_mib"], d["exit_codes"]))' "$1"
}

if want 2; then
  step "2. whole process, $RUNS runs each (median, min-max, peak RSS)"
  for f in "$DATA"/bench_*.flac "$DATA"/bench_*.wav "$DATA"/bench_*.csv; do
    python3 scripts/timeit.py "$RUNS" -- "$GB" analyze -q -o "$OUT" --location sacrum "$f" | summary "$(basename "$f")"
  done
fi

if want 3; then
  step "3. per-file fixed cost: 10 s recordings at 100 Hz, whole process ($RUNS runs)"
  FC=$BUILD/bench-fixed
  synth_case "$FC" fixed 100 0.1667 7
  python3 scripts/timeit.py "$RUNS" -- /bin/true | summary "(empty process /bin/true)"
  python3 scripts/timeit.py "$RUNS" -- "$GB" --version | summary "(gaitbatch --version)"
  for f in "$FC"/fixed.*; do
    python3 scripts/timeit.py "$RUNS" -- "$GB" analyze -q -o "$OUT" --location sacrum "$f" | summary "$(basename "$f")"
  done
  # In a batch, start-up and the FFTW plan are paid once: the marginal cost of one
  # more short file is (T(21 files) - T(1 file)) / 20, -j 1.
  for n in 1 21; do
    B=$FC/batch$n
    if [ ! -f "$B/manifest.csv" ]; then
      mkdir -p "$B"
      echo "path,athlete,start,location,units,full_scale_g" > "$B/manifest.csv"
      for i in $(seq 1 $n); do
        cp "$FC/fixed.flac" "$B/f$i.flac"
        printf 'f%d.flac,a1,2026-01-01T%02d:00:00Z,sacrum,g,16\n' "$i" "$i" >> "$B/manifest.csv"
      done
    fi
  done
  # CPU medians (user + system): the wall times of a loaded machine swamp a few ms
  get() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["median_s"], d["cpu_median_s"])'; }
  read -r t1 c1 < <(python3 scripts/timeit.py "$RUNS" -- "$GB" batch "$FC/batch1" -o "$FC/out1" -j 1 --force -q | get)
  read -r t21 c21 < <(python3 scripts/timeit.py "$RUNS" -- "$GB" batch "$FC/batch21" -o "$FC/out21" -j 1 --force -q | get)
  python3 -c "print('batch -j 1: 1 file %.3f s (CPU %.3f), 21 files %.3f s (CPU %.3f) -> %.1f ms wall, %.1f ms CPU per additional 10 s file' % ($t1, $c1, $t21, $c21, ($t21 - $t1) / 20 * 1000, ($c21 - $c1) / 20 * 1000))"
fi

if want 4 && [ -z "$quick" ]; then
  step "4. peak RSS on 2 h at 1 kHz (streaming: must not grow with the recording)"
  K1=$BUILD/bench-1khz
  synth_case "$K1" k1 1000 120 9
  for f in "$K1"/k1.*; do
    python3 scripts/timeit.py 1 -- "$GB" analyze -q -o "$OUT" --location sacrum "$f" | summary "2h_1khz $(basename "$f")"
  done
fi

if want 5; then
  # hour-long recordings, as a lab's nightly batch has them: with short files the
  # one-off serial parts (start-up, the FFTW plan, the summary) weigh more
  MIN=$([ -n "$quick" ] && echo 5 || echo 60)
  step "5. batch scaling over 4 files of $MIN min: -j 1 vs -j 2"
  SC=$BUILD/bench-scaling-${MIN}min
  if [ ! -f "$SC/manifest.csv" ]; then
    mkdir -p "$SC"
    echo "path,athlete,start,location,units,full_scale_g" > "$SC/manifest.csv"
    for i in 1 2 3 4; do
      "$GB" synth -o "$SC/gen$i" --run --scenario steady --location sacrum --rate 500 \
        --minutes "$MIN" --format flac16 --seed $((40 + i)) >/dev/null || fail "synth"
      f=$(ls "$SC/gen$i"/*.flac | head -n 1); mv "$f" "$SC/run$i.flac"; rm -rf "$SC/gen$i"
      echo "run$i.flac,a$i,2026-01-0${i}T07:00:00Z,sacrum,g,16" >> "$SC/manifest.csv"
    done
  fi
  j1=$(python3 scripts/timeit.py 3 -- "$GB" batch "$SC" -o "$BUILD/bench-scaling-out" -j 1 --force -q | python3 -c 'import json,sys; print(json.load(sys.stdin)["median_s"])')
  j2=$(python3 scripts/timeit.py 3 -- "$GB" batch "$SC" -o "$BUILD/bench-scaling-out" -j 2 --force -q | python3 -c 'import json,sys; print(json.load(sys.stdin)["median_s"])')
  python3 -c "print('-j 1: %.3f s   -j 2: %.3f s   speed-up %.2fx' % ($j1, $j2, $j1 / $j2))"
fi

if want 6; then
  step "6. numpy/scipy peer on the same files (same window count and cadence?)"
  for f in "$DATA"/bench_*1h_500hz*.csv "$DATA"/bench_*1h_500hz*.flac "$DATA"/bench_*24h_100hz*.csv "$DATA"/bench_*24h_100hz*.flac; do
    [ -e "$f" ] || continue
    peer=$(python3 scripts/timeit.py 3 -- /usr/bin/python3 scripts/peer_numpy.py "$f")
    ours=$(python3 scripts/timeit.py 3 -- "$GB" analyze -q -o "$OUT" --location sacrum "$f")
    /usr/bin/python3 scripts/peer_numpy.py "$f" > "$BUILD/peer.json"
    "$GB" analyze --json -o "$OUT" --location sacrum "$f" > "$BUILD/ours.json"
    /usr/bin/python3 - "$f" "$peer" "$ours" "$BUILD" <<'PY'
import json, sys, h5py
f, peer, ours, b = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]
p = json.load(open(b + "/peer.json")); o = json.load(open(b + "/ours.json"))
with h5py.File(o["report"], "r") as h:
    n_win = len(h["cadence"][()])
print("%-34s peer %.3f s / %.0f MiB  ours %.3f s / %.0f MiB  -> %.1fx faster, %.1fx less memory" % (
    f.split("/")[-1], peer["median_s"], peer["peak_rss_mib"], ours["median_s"], ours["peak_rss_mib"],
    peer["median_s"] / ours["median_s"], peer["peak_rss_mib"] / ours["peak_rss_mib"]))
print("%34s windows peer %d ours %d; median cadence peer %.1f ours %.1f spm" % (
    "", p["windows"], n_win, p["cadence_median_spm"], o["cadence_median_spm"]))
PY
  done
fi
