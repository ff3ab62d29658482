# The bad-input matrix (issue 7): malformed and hostile recordings and manifest rows in
# one dataset beside good ones. Each bad one gets a named, useful error in summary.h5
# /errors, the batch exits 1, and every good run completes.
source "$(dirname "$0")/lib/common.bash"
have_h5py || { echo "skipped: python3-h5py/pandas absent (scripts/deps.sh installs them)"; exit 77; }

D=$T/data
mkdir -p "$D"
py - "$D" <<'PY'
import math, os, struct, sys, wave, random
D = sys.argv[1]
random.seed(7)
rows = []        # (path, expect, needle, extra manifest fields)
def good_csv(n=600, fs=100, sep=",", eol="\n", header="t,x,y,z", bom=False):
    s = ("\ufeff" if bom else "") + header + eol
    for i in range(n):
        t = i / fs
        z = 1 + 0.9 * math.sin(2 * math.pi * 2.7 * t)
        s += sep.join(["%.2f" % t, "%.3f" % (0.1 * math.sin(2 * math.pi * 1.35 * t)), "0.02", "%.3f" % z]) + eol
    return s
def w(name, data, expect, needle=None, **meta):
    p = os.path.join(D, name)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(p, mode) as f: f.write(data)
    rows.append((name, expect, needle or name, meta))
def wav_float(ch, n, fs, rate_field=None, data_size=None, fmt_tag=3):
    data = b"".join(struct.pack("<" + "f" * ch, *([0.1, 0.0, 1.0][:ch] if ch <= 3 else [0.1] * ch)) for _ in range(n))
    fmtc = struct.pack("<HHIIHH", fmt_tag, ch, rate_field if rate_field is not None else fs, fs * 4 * ch, 4 * ch, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmtc)) + fmtc + b"data" + struct.pack("<I", data_size if data_size is not None else len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body
lines = good_csv().split("\n")
# --- malformed: each must fail with its file named -------------------------------------
w("empty.csv", "", "fail")
w("header_only.csv", "t,x,y,z\n", "fail")
w("binary_garbage.csv", bytes(random.getrandbits(8) for _ in range(4000)), "fail")
w("garbage.wav", bytes(random.getrandbits(8) for _ in range(4000)), "fail")
w("empty.wav", b"", "fail")
w("truncated.wav", wav_float(3, 400, 100)[:60], "fail")
w("two_channels.wav", wav_float(2, 400, 100), "fail")
w("five_unknown_cols.csv", "a,b,c,d,e\n" + "1,2,3,4,5\n" * 300, "fail")
w("absurd_rate.wav", wav_float(3, 400, 100, rate_field=50_000_000), "fail")
w("nonmonotonic.csv", "\n".join(lines[:200] + ["1.00,0,0,1"] + lines[200:400]) + "\n", "fail")
w("duplicate_time.csv", "\n".join(lines[:150] + [lines[149]] + lines[150:400]) + "\n", "fail")
w("nan_run.csv", "\n".join(lines[:100] + ["%.2f,nan,nan,nan" % ((100 + k) / 100) for k in range(20)] + [l for l in lines[120:400]]) + "\n", "fail")
w("inf_run.csv", "\n".join(lines[:100] + ["%.2f,inf,0,-inf" % ((100 + k) / 100) for k in range(20)] + [l for l in lines[120:400]]) + "\n", "fail")
w("text_in_numbers.csv", "\n".join(lines[:50] + ["0.50,abc,0,1"] + lines[51:400]) + "\n", "fail")
w("wrong_field_count.csv", "\n".join(lines[:50] + ["0.50,0,1"] + lines[51:400]) + "\n", "fail")
w("mixed_separators.csv", "\n".join(lines[:30] + [l.replace(",", ";") for l in lines[30:400]]) + "\n", "fail")
w("huge_line.csv", "\n".join(lines[:40] + ["0.40," + "9" * (3 << 20) + ",0,1"] + lines[41:400]) + "\n", "fail")
w("iso_bad_time.csv", "timestamp,x,y,z\n" + "".join("2026-03-02T07:00:%02d.%02dZ,0,0,1\n" % (i // 100, i % 100) for i in range(150)) + "2026-13-45T99:00:00Z,0,0,1\n", "fail")
w("too_short.csv", "\n".join(lines[:4]) + "\n", "fail")
w("pcm_no_fullscale.wav", b"", "fail")
wv = wave.open(os.path.join(D, "pcm_no_fullscale.wav"), "wb"); wv.setnchannels(3); wv.setsampwidth(2); wv.setframerate(100)
wv.writeframes(b"".join(struct.pack("<hhh", 100, 0, 2048) for _ in range(500))); wv.close()
w("latin1_header.csv", ("t,acc\xe9l_x,acc\xe9l_y,acc\xe9l_z\n" + "\n".join(lines[1:300]) + "\n").encode("latin-1"), "fail")
w("declared_huge.wav", wav_float(3, 300, 100, data_size=0xFFFFFF00), "either")
w("zero_rate_declared.csv", "x,y,z\n" + "0,0,1\n" * 300, "fail", rate_hz="")   # no time, no rate
os.mkdir(os.path.join(D, "a_directory.wav")); rows.append(("a_directory.wav", "fail", "a_directory.wav", {}))
rows.append(("vanished.flac", "fail", "vanished.flac", {}))
w("bad_units_row.csv", good_csv(), "fail", "furlongs", units="furlongs")
w("bad_location_row.csv", good_csv(), "fail", "knee", location="knee")
w("bad_fullscale_row.wav", wav_float(3, 400, 100), "fail", "full_scale_g", full_scale_g="-3")
w("short_row.csv", good_csv(), "fail", "fields", short=True)
w("time_gap.csv", "t,x,y,z\n" + "".join("%.2f,0,0,1\n" % (i / 100) for i in range(300)) + "5000,0,0,1\n", "either")
w("nul_bytes.csv", ("\n".join(lines[:60]) + "\n0.60,0\x00,0,1\n" + "\n".join(lines[61:300]) + "\n").encode(), "fail")
w("only_comments.csv", "# recorded by nobody\n# nothing here\n", "fail")
w("garbage.flac", bytes(random.getrandbits(8) for _ in range(3000)), "fail")
w("zero_rate.wav", wav_float(3, 400, 100, rate_field=0), "fail")
w("one_hz.wav", wav_float(3, 400, 1), "fail", "sample rate")
def wav_nan_run(n=1500, fs=100, at=500, run=12):
    good = wav_float(3, n, fs)
    hdr, data = good[:44], bytearray(good[44:])
    for k in range(at, at + run):
        struct.pack_into("<f", data, k * 12 + 4, float("nan"))
    return hdr + bytes(data)
w("nan_run.wav", wav_nan_run(), "fail", "non-finite")
def wav_list_overrun():  # hangs libsndfile's sf_open (its issue #1118): refused before it
    good = wav_float(3, 400, 100)
    info = b"INFO" + b"INAM" + struct.pack("<I", 6) + b"run 1\0" + b"ICMT" + struct.pack("<I", 0xFFFFFFFF) + b"x" * 40
    lst = b"LIST" + struct.pack("<I", len(info)) + info
    body = good[12:36] + lst + good[36:]
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body
w("list_overrun.wav", wav_list_overrun(), "fail", "LIST subchunk")
w("time_text.csv", "\n".join(lines[:70] + ["abc,0,0,1"] + lines[71:300]) + "\n", "fail")
# --- hostile but valid: must succeed ----------------------------------------------------
w("bom_crlf.csv", good_csv(bom=True, eol="\r\n"), "ok")
w("semicolon.csv", good_csv(sep=";", header="t;x;y;z"), "ok")
w("tabs.csv", good_csv(sep="\t", header="t\tx\ty\tz"), "ok")
w(b"name_\xff_nonutf8.csv".decode("utf-8", "surrogateescape"), good_csv(), "ok")
w("good_float.wav", wav_float(3, 1500, 100), "ok")
w("all_zero.csv", "t,x,y,z\n" + "".join("%.2f,0,0,0\n" % (i / 100) for i in range(600)), "ok")
if os.geteuid() != 0:  # root reads any file: the case only means something for a user
    w("unreadable.csv", good_csv(), "fail")
    os.chmod(os.path.join(D, "unreadable.csv"), 0)
header = "path,athlete,start,location,units,full_scale_g,rate_hz"
with open(os.path.join(D, "manifest.csv"), "w", encoding="utf-8", errors="surrogateescape") as f:
    f.write(header + "\n")
    for i, (name, expect, needle, meta) in enumerate(rows):
        fields = [name, "ath%d" % (i % 3), "2026-03-%02dT07:00:00Z" % (1 + i % 28),
                  meta.get("location", "sacrum"), meta.get("units", ""), meta.get("full_scale_g", ""),
                  meta.get("rate_hz", "")]
        if meta.get("short"): fields = fields[:3]
        f.write(",".join(fields) + "\n")
with open(os.path.join(D, "expect.txt"), "w", encoding="utf-8", errors="surrogateescape") as f:
    for name, expect, needle, meta in rows:
        f.write("%s\t%s\t%s\n" % (name, expect, needle))
PY
nbad=$(awk -F'\t' '$2=="fail"' "$D/expect.txt" | wc -l)
check "at least 30 malformed inputs" test "$nbad" -ge 30
expect_rc 1 "$GB_BIN" batch "$D" -o "$T/o" -j 2
check "summary written despite bad inputs" test -s "$T/o/summary.h5"
check "every bad input has a named error, every good one a report" py - "$T/o/summary.h5" "$D/expect.txt" <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
def s(x): return x.decode("utf-8", "surrogateescape") if isinstance(x, bytes) else str(x)
errs = [(s(p), s(m)) for p, m in zip(f["errors"]["path"], f["errors"]["message"])]
runs = f["runs"][()]
status = {s(p).rsplit("/", 1)[-1]: s(st) for p, st in zip(runs["path"], runs["status"])}
bad = 0
for line in open(sys.argv[2], encoding="utf-8", errors="surrogateescape"):
    name, expect, needle = line.rstrip("\n").split("\t")
    hits = [m for p, m in errs if p.endswith(name) or name in p]
    if expect == "fail":
        if not hits:
            print("no error for", name); bad += 1; continue
        m = hits[0]
        if needle not in m and needle not in hits[0]:
            print("error for %s does not name %r: %s" % (name, needle, m)); bad += 1
        else:
            print("ok  %-28s %s" % (name, m[:150]))
    elif expect == "ok":
        if hits or status.get(name) != "ok":
            print("good input failed:", name, hits); bad += 1
sys.exit(1 if bad else 0)
PY
finish
