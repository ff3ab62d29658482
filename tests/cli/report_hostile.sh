# Hostile report files (issue 7: no allocation sized from an untrusted header without a
# bound). A run report whose /flags declares 20 million rows but stores none is ~25 KB
# on disk: `show` must refuse it with a named error and without allocating gigabytes,
# and a batch that finds such a file in its output re-analyses the run instead of
# trusting it.
source "$(dirname "$0")/lib/common.bash"
have_h5py || { echo "skipped: python3-h5py/pandas absent (scripts/deps.sh installs them)"; exit 77; }

"$GB_BIN" synth -o "$T/d" --athletes 1 --weeks 1 --seed 3 >/dev/null
expect_rc 0 "$GB_BIN" batch "$T/d" -o "$T/o"
r=$(ls "$T/o/runs" | head -n 1)
cp "$T/o/runs/$r" "$T/good.h5"

# declared rows >> stored bytes: a chunked table with no chunk written
py - "$T/o/runs/$r" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r+") as f:
    dt, attrs = f["flags"].dtype, dict(f["flags"].attrs)
    del f["flags"]
    d = f.create_dataset("flags", shape=(20_000_000,), dtype=dt, chunks=(1024,))
    for k, v in attrs.items():
        d.attrs[k] = v
PY
check "the hostile report stays small on disk" test "$(stat -c %s "$T/o/runs/$r")" -lt 200000

# show: exit 1, a message naming the file and the problem, peak RSS well below the
# 20 M x row size (~2 GB) the file asks for
check "show refuses it with a named error, in bounded memory" py - "$GB_BIN" "$T/o/runs/$r" <<'PY'
import resource, subprocess, sys
p = subprocess.run([sys.argv[1], "show", sys.argv[2]], capture_output=True, text=True)
rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("rc", p.returncode, "peak RSS %.0f MiB" % rss_mib, p.stderr.strip())
assert p.returncode == 1, p.returncode
assert sys.argv[2] in p.stderr and "more rows than its stored bytes" in p.stderr, p.stderr
assert rss_mib < 200, rss_mib
PY

# the batch does not trust it: the run is analysed again and the report replaced
expect_rc 0 "$GB_BIN" batch "$T/d" -o "$T/o"
check "batch warns about the damaged report" grep -q "more rows declared than stored" "$T/err"
check "batch re-analysed exactly that run" grep -q "analysed 1 " "$T/out"
check "the replaced report equals the original" py - "$T/o/runs/$r" "$T/good.h5" <<'PY'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
for name in ("summary", "steps", "flags", "events", "cadence"):
    assert a[name][()].tobytes() == b[name][()].tobytes(), name  # NaN-safe, bit for bit
PY
finish
