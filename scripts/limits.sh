#!/usr/bin/env bash
# Resource limits (issue 7): generates (never commits) a 24 h recording at 1 kHz
# (FLAC, 3 channels, sacrum) and a batch of 1,000 small files (20 s CSV each), runs
# `gaitbatch analyze` on the first and `gaitbatch batch` on the second (fresh, then
# incremental), and prints wall time, CPU time and peak RSS of each (one run each,
# measured with os.wait4: no warm-up, these inputs are too big to run twice).
# Generated data are kept in OUT between runs (delete OUT to regenerate).
# Usage: scripts/limits.sh [OUT=build-limits] [--skip-big] [--skip-many]
# Env:   GB=path/to/gaitbatch (default build/gaitbatch, built by scripts/build.sh)
#        MINUTES (default 1440), RATE (default 1000), NFILES (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
out=build-limits; big=1; many=1
for a in "$@"; do
  case $a in
    --skip-big) big=0 ;;
    --skip-many) many=0 ;;
    *) out=$a ;;
  esac
done
GB=${GB:-build/gaitbatch}
minutes=${MINUTES:-1440}; rate=${RATE:-1000}; nfiles=${NFILES:-1000}
fail() { echo "limits.sh: FAILED at step: $*" >&2; exit 1; }
[ -x "$GB" ] || scripts/build.sh >&2 || fail "build (scripts/build.sh)"
mkdir -p "$out"

# measure LABEL CMD...: one run; prints wall s, user+sys s, peak RSS MiB, exit code.
measure() {
  local label=$1; shift
  /usr/bin/python3 - "$label" "$@" <<'PY'
import os, subprocess, sys, time
label, cmd = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = p.stderr.read()
_, status, ru = os.wait4(p.pid, 0)
wall = time.perf_counter() - t0
code = os.waitstatus_to_exitcode(status)
print("%-34s wall %8.1f s  cpu %8.1f s  peak RSS %7.1f MiB  exit %d"
      % (label, wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, code))
if code != 0:
    sys.stderr.write(err.decode("utf-8", "replace")[-2000:])
sys.exit(code)
PY
}

if [ "$big" = 1 ]; then
  d=$out/long
  f=$d/long_${minutes}min_${rate}hz.flac
  if [ ! -s "$f" ]; then
    rm -rf "$d.tmp"
    measure "synth ${minutes} min @ ${rate} Hz" "$GB" synth -o "$d.tmp" --run --minutes "$minutes" \
      --rate "$rate" --format flac16 --location sacrum --run-id "long_${minutes}min_${rate}hz" -q \
      || fail "synth the long recording"
    rm -rf "$d"; mv "$d.tmp" "$d"
  fi
  echo "long recording: $f ($(du -h "$f" | cut -f1), ${minutes} min at ${rate} Hz, 3 channels)"
  rm -rf "$out/long-out"
  measure "analyze ${minutes} min @ ${rate} Hz" "$GB" analyze "$f" -o "$out/long-out" --location sacrum -q \
    || fail "analyze the long recording"
  ls -l "$out/long-out/runs/"*.h5 | awk '{print "report: " $5 " bytes " $NF}'
fi

if [ "$many" = 1 ]; then
  d=$out/many
  if [ ! -s "$d/manifest.csv" ]; then
    rm -rf "$d" "$d.tmp"
    mkdir -p "$d.tmp"
    t0=$(date +%s)
    # 20-minute synthetic runs (one seed each) cut into 20 s files, time re-based to 0:
    # 60 distinct files per run, without 1,000 generator start-ups.
    nlong=$(( (nfiles + 59) / 60 ))
    for s in $(seq 1 "$nlong"); do
      "$GB" synth -o "$d.tmp/gen" --run --minutes 20 --rate 100 --format csv-g --location tibia \
        --seed "$s" --run-id "src$s" --warmup 0 -q || fail "synth source run $s"
    done
    /usr/bin/python3 - "$d.tmp" "$nfiles" "$nlong" <<'PY' || fail "cut the small files"
import os, sys
d, n, nlong = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
man = ["path,run_id,athlete,start,location,units,full_scale_g"]
k = 0
for s in range(1, nlong + 1):
    lines = open(os.path.join(d, "gen", "src%d.csv" % s)).read().splitlines()
    head, rows = lines[0], lines[1:]
    for c in range(60):
        if k == n: break
        chunk = rows[c * 2000:(c + 1) * 2000]
        if len(chunk) < 2000: break
        k += 1
        rid = "r%04d" % k
        t0 = float(chunk[0].split(",", 1)[0])
        with open(os.path.join(d, rid + ".csv"), "w") as f:
            f.write(head + "\n")
            for r in chunk:
                t, rest = r.split(",", 1)
                f.write("%.3f,%s\n" % (float(t) - t0, rest))
        man.append("%s.csv,%s,ath%02d,2026-03-%02dT07:%02d:00Z,tibia,g,16"
                   % (rid, rid, k % 40, 1 + k % 28, k % 60))
if k != n: sys.exit("only %d files cut" % k)
open(os.path.join(d, "manifest.csv"), "w").write("\n".join(man) + "\n")
PY
    rm -rf "$d.tmp/gen"; mv "$d.tmp" "$d"
    echo "generated $nfiles files in $(( $(date +%s) - t0 )) s"
  fi
  echo "small files: $nfiles x 20 s CSV at 100 Hz in $d ($(du -sh "$d" | cut -f1))"
  rm -rf "$out/many-out"
  measure "batch $nfiles files (fresh, -j 2)" "$GB" batch "$d" -o "$out/many-out" -j 2 -q \
    || fail "batch the small files"
  measure "batch $nfiles files (incremental)" "$GB" batch "$d" -o "$out/many-out" -j 2 -q \
    || fail "incremental batch of the small files"
  n=$(ls "$out/many-out/runs" | wc -l)
  echo "reports: $n in $out/many-out/runs; summary $(du -h "$out/many-out/summary.h5" | cut -f1)"
  [ "$n" -eq "$nfiles" ] || fail "expected $nfiles reports, found $n"
fi
