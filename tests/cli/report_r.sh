# Reports load in R with rhdf5 as the README says: the example script runs on a batch's
# output, and the tables R reads hold the same values as h5py reads (a second reader).
source "$(dirname "$0")/lib/common.bash"
have_h5py || { echo "skipped: python3-h5py/pandas absent (scripts/deps.sh installs them)"; exit 77; }
Rscript -e 'suppressMessages(library(rhdf5))' >/dev/null 2>&1 \
  || { echo "skipped: R with rhdf5 absent (scripts/deps.sh --test installs r-bioc-rhdf5)"; exit 77; }

"$GB_BIN" synth -o "$T/d" --athletes 2 --weeks 2 --seed 5 >/dev/null
expect_rc 0 "$GB_BIN" batch "$T/d" -o "$T/o"
n=$(($(grep -c . "$T/d/manifest.csv") - 1))

expect_rc 0 Rscript "$GB_SOURCE_DIR/scripts/read_report.R" "$T/o/summary.h5"
check "the R example prints the runs, a weekly table and a run's steps" \
  bash -c "grep -q ' $n runs' '$T/out' && grep -q change_2wk_pct '$T/out' && grep -q landing_label '$T/out'"

# R writes what it read (write.csv: 15 significant digits, NaN as NA); h5py compares
cat > "$T/dump.R" <<'R'
suppressMessages(library(rhdf5))
a <- commandArgs(trailingOnly = TRUE)
runs <- h5read(a[1], "/runs", compoundAsDataFrame = TRUE)
steps <- h5read(file.path(dirname(a[1]), runs$report[1]), "/steps", compoundAsDataFrame = TRUE)
write.csv(runs, a[2], row.names = FALSE)
write.csv(steps, a[3], row.names = FALSE)
h5closeAll()
R
expect_rc 0 Rscript "$T/dump.R" "$T/o/summary.h5" "$T/runs_r.csv" "$T/steps_r.csv"
check "R and h5py read the same /runs and /steps" py - "$T/o/summary.h5" "$T/runs_r.csv" "$T/steps_r.csv" "$n" <<'PY'
import os, sys, h5py, numpy as np, pandas as pd
f = h5py.File(sys.argv[1])
runs = f["runs"][()]
steps = h5py.File(os.path.join(os.path.dirname(sys.argv[1]), runs["report"][0].decode()))["steps"][()]
for ref, path, n in ((runs, sys.argv[2], int(sys.argv[4])), (steps, sys.argv[3], None)):
    text = {c: str for c in ref.dtype.names if ref.dtype[c].kind in "SU"}
    nums = {c: ["NA", "NaN"] for c in ref.dtype.names if c not in text}
    r = pd.read_csv(path, keep_default_na=False, na_values=nums, dtype=text)
    assert len(r) == len(ref) and (n is None or len(r) == n), (path, len(r), len(ref))
    assert list(r.columns) == list(ref.dtype.names), (list(r.columns), ref.dtype.names)
    checked = 0
    for c in ref.dtype.names:
        if ref.dtype[c].kind in "SU":
            assert [x.decode() if isinstance(x, bytes) else x for x in ref[c]] == \
                   [("" if v == "" else str(v)) for v in r[c]], c
        else:
            a, b = ref[c].astype(float), r[c].astype(float).to_numpy()
            assert np.array_equal(np.isnan(a), np.isnan(b)), c
            m = ~np.isnan(a)
            # 15 digits hold a float32 exactly and a double to ~1e-15
            assert np.allclose(a[m], b[m], rtol=1e-14, atol=0), (c, a[m][:3], b[m][:3])
        checked += 1
    assert checked == len(ref.dtype.names)
assert len(steps) > 0
print("compared", len(runs), "runs and", len(steps), "steps")
PY
finish
