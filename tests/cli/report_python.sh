# Reports load in Python (h5py + pandas) as the README says, the example script runs,
# and `show` prints text, JSON (parsed) and CSV.
source "$(dirname "$0")/lib/common.bash"
have_h5py || { echo "skipped: python3-h5py/pandas absent (scripts/deps.sh installs them)"; exit 77; }

"$GB_BIN" synth -o "$T/d" --athletes 2 --weeks 2 --seed 3 >/dev/null
expect_rc 0 "$GB_BIN" batch "$T/d" -o "$T/o"
n=$(($(grep -c . "$T/d/manifest.csv") - 1))

expect_rc 0 py "$GB_SOURCE_DIR/scripts/read_report.py" "$T/o/summary.h5" --athlete A01
check "example prints the runs table and a weekly table" bash -c "grep -q run_id '$T/out' && grep -q week '$T/out'"

check "the README's two lines load /runs" py - "$T/o/summary.h5" "$n" <<'PY'
import sys, h5py, pandas as pd
df = pd.DataFrame(h5py.File(sys.argv[1])["runs"][()])
assert len(df) == int(sys.argv[2]), len(df)
for col in ("run_id", "athlete", "start", "cadence_mean_spm", "n_steps", "pta_mean_g", "status"):
    assert col in df.columns, col
f = h5py.File(sys.argv[1])
run = f["run"][df["run_id"][0].decode()]          # external link to the run report
steps = pd.DataFrame(run["steps"][()])
for col in ("t_s", "peak_g", "loading_rate_gps", "time_to_peak_ms", "landing", "clipped"):
    assert col in steps.columns, col
assert dict(zip(run["steps"].attrs["columns"], run["steps"].attrs["units"]))["peak_g"] == "g"
assert run.attrs["schema"] == "gaitbatch.run"
PY

r=$(ls "$T/o/runs" | head -n 1)
expect_rc 0 "$GB_BIN" show "$T/o/runs/$r"
check "show prints the summary" grep -qi "cadence" "$T/out"
expect_rc 0 "$GB_BIN" show --json "$T/o/summary.h5"
check "show --json is one JSON value" py -c "import json,sys; json.load(open('$T/out'))"
expect_rc 0 "$GB_BIN" show --csv "$T/o/runs/$r"
check "show --csv has a header and a row" test "$(grep -c . "$T/out")" -ge 2
expect_rc 1 "$GB_BIN" show "$T/nope.h5"
finish
