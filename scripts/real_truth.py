#!/usr/bin/env python3
"""Convert the truth of the real recordings in ../shared/datasets/real into gaitbatch's
ground-truth dataset format, so that `gaitbatch batch` + `gaitbatch eval` score real and
synthetic data alike.

Usage:
  scripts/real_truth.py [REAL_DIR] -o OUT [--only NAME ...] [--ref-system INDIP|Stereophoto]

REAL_DIR defaults to <repo>/../shared/datasets/real. For each dataset NAME below it writes
OUT/NAME/manifest.csv and OUT/NAME/truth/<run_id>/*.csv (README "Ground truth format").
The manifest points at the ORIGINAL recordings by absolute path: no data are copied.
Extra manifest columns: cols (CSV columns to read), rate_hz (sample rate), time_col (empty:
the reader's default), source (what the truth was derived from).

Then, for example:
  gaitbatch batch OUT/alcantara-sacrum-treadmill-running -o RES
  gaitbatch eval RES OUT/alcantara-sacrum-treadmill-running

Datasets (see each folder's PROVENANCE.md):
  alcantara-sacrum-treadmill-running  sacrum, 500 Hz, acc_v_g (g). steps.csv from the
      force-treadmill contacts (contact_events_from_grf.csv: t_s = ic_time_s,
      contact_time_ms); landing per step rearfoot when the trial is 100 % rearfoot strikes,
      midfoot when 0 %, else unknown; cadence.csv = the trial's GRF cadence from the first
      to the last contact; run.csv: cadence_mean_spm, contact_time_ms (trials.csv),
      landing_pattern rearfoot when rfs_pct >= 50 else midfoot, rearfoot_share.
  mobgap-lowerback-walking  sacrum (lower back), 100 Hz, acc_x,acc_y,acc_z (g), time from
      the samples column. steps.csv = reference initial contacts of one reference system
      (--ref-system, default INDIP; untimed ICs kept with an empty t_s); scope.csv = that
      system's walking bouts; cadence.csv = each bout's cadence over the bout.
  ipol-voisard-feet-lowerback-walking  lower back (L5) file *_lb.txt, 100 Hz, Acc_X,Acc_Y,
      Acc_Z (m/s2). NOTE: the file starts with a line "Acquisition frequency: 100 Hz" before
      the tab-separated header; gaitbatch's CSV reader takes the first non-comment line as
      the header, so these runs fail until it skips such a preamble. With
      --readable-copies the manifest points instead at OUT/NAME/data/<trial>_lb.csv, the
      same file with that one line turned into a '#' comment (written outside the
      repository, in OUT; every other byte unchanged). steps.csv = heel
      strikes of both feet (sample/100 s, side 0 left / 1 right, contact time = heel strike
      to the next toe-off of the same foot); scope.csv = TrialBoundaries; cadence.csv = the
      cadence of each straight walk (U-turn excluded).
  strikewatch-wrist-running  wrist, x,y,z (m/s2), saturating at +-2 g (full_scale_g 2);
      rate_hz 100 is an UNVERIFIED inference (the source does not state it). run.csv
      landing_pattern from labels.csv: heelstrike -> rearfoot, forefootstrike -> midfoot.

Only Python's standard library is needed. Output is deterministic.
"""
import argparse
import csv
import json
import math
import os
import sys

DATASETS = (
    "alcantara-sacrum-treadmill-running",
    "mobgap-lowerback-walking",
    "ipol-voisard-feet-lowerback-walking",
    "strikewatch-wrist-running",
)

MANIFEST_COLS = ["path", "run_id", "athlete", "start", "location", "units", "full_scale_g",
                 "cols", "rate_hz", "time_col", "source"]


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def fmt(x, digits=4):
    """Number as text; '' for None/NaN (unknown in the truth format)."""
    if x is None:
        return ""
    if isinstance(x, str):
        return x
    if isinstance(x, float) and math.isnan(x):
        return ""
    return ("%." + str(digits) + "f") % x


def write_run_facts(truth_dir, facts):
    write_csv(os.path.join(truth_dir, "run.csv"), ["key", "value"],
              [(k, fmt(v) if not isinstance(v, int) else str(v)) for k, v in facts])


def cadence_rows(t0, t1, spm, step=0.5):
    """Rows every `step` s from t0 to t1 (both included) at a constant cadence."""
    if t1 <= t0:
        return [(fmt(t0), fmt(spm, 2))]
    ts, k = [], 0
    while t0 + k * step < t1 - 1e-9:
        ts.append(t0 + k * step)
        k += 1
    ts.append(t1)
    return [(fmt(t), fmt(spm, 2)) for t in ts]


def sample_count(path, header_lines=1):
    with open(path, "rb") as f:
        n = sum(1 for line in f if line.strip())
    return n - header_lines


# ---------------------------------------------------------------- alcantara
def alcantara(src, out):
    trials = read_csv(os.path.join(src, "trials.csv"))
    contacts = read_csv(os.path.join(src, "contact_events_from_grf.csv"))
    manifest = []
    for tr in trials:
        stem = tr["file"][:-4]
        run_id = "alcantara_" + stem
        fs = float(tr["fs_hz"])
        rfs = float(tr["rfs_pct"])
        manifest.append([os.path.abspath(os.path.join(src, tr["file"])), run_id, "alcantara_s1", "",
                         "sacrum", "g", "", "acc_v_g", "500", "",
                         "force treadmill GRF (contact_events_from_grf.csv)"])
        tdir = os.path.join(out, "truth", run_id)
        # Per-step landing is known only when the whole trial has one strike type.
        landing = "rearfoot" if rfs == 100 else "midfoot" if rfs == 0 else "unknown"
        steps = []
        for c in contacts:
            if c["file"] != tr["file"]:
                continue
            ct = float(c["contact_time_ms"]) if c["contact_time_ms"] else None
            steps.append((fmt(float(c["ic_time_s"])), "-1", landing, fmt(ct, 1), ""))
        write_csv(os.path.join(tdir, "steps.csv"),
                  ["t_s", "side", "landing", "contact_time_ms", "peak_g"], steps)
        cad = float(tr["cadence_spm_from_grf"])
        t0 = int(tr["first_ic_sample"]) / fs
        t1 = int(tr["last_ic_sample"]) / fs
        write_csv(os.path.join(tdir, "cadence.csv"), ["t_s", "cadence_spm"], cadence_rows(t0, t1, cad))
        write_run_facts(tdir, [
            ("duration_s", int(tr["n_samples"]) / fs),
            ("location", "sacrum"),
            ("sample_rate_hz", fs),
            ("landing_pattern", "rearfoot" if rfs >= 50 else "midfoot"),
            ("rearfoot_share", rfs / 100.0),
            ("contact_time_ms", float(tr["mean_contact_time_ms"])),
            ("cadence_mean_spm", cad),
            ("n_steps", int(tr["n_ic_grf"])),
            ("scenario", "treadmill %s m/s slope %s deg" % (tr["speed_mps"], tr["slope_deg"])),
        ])
    return manifest


# ---------------------------------------------------------------- mobgap
def mobgap(src, out, ref_system):
    ics = [r for r in read_csv(os.path.join(src, "reference_initial_contacts.csv"))
           if r["ref_system"] == ref_system]
    bouts = [r for r in read_csv(os.path.join(src, "reference_walking_bouts.csv"))
             if r["ref_system"] == ref_system]
    files = sorted({r["file"] for r in ics} | {r["file"] for r in bouts})
    manifest = []
    for fname in files:
        path = os.path.join(src, fname)
        if not os.path.exists(path):
            continue
        stem = fname[:-4]
        run_id = "mobgap_" + stem
        athlete = stem.split("_")[0]
        manifest.append([os.path.abspath(path), run_id, athlete, "", "sacrum", "g", "",
                         "acc_x,acc_y,acc_z", "100", "",
                         "%s reference initial contacts and walking bouts" % ref_system])
        tdir = os.path.join(out, "truth", run_id)
        steps = []
        for r in ics:
            if r["file"] != fname:
                continue
            side = {"left": "0", "right": "1"}.get(r["side"].strip().lower(), "-1")
            t = float(r["ic_time_s"]) if r["ic_time_s"] else None
            steps.append((fmt(t, 3), side, "unknown", "", ""))
        write_csv(os.path.join(tdir, "steps.csv"),
                  ["t_s", "side", "landing", "contact_time_ms", "peak_g"], steps)
        fb = [b for b in bouts if b["file"] == fname]
        fb.sort(key=lambda b: float(b["start_s"]))
        write_csv(os.path.join(tdir, "scope.csv"), ["t_start_s", "t_end_s"],
                  [(fmt(float(b["start_s"]), 3), fmt(float(b["end_s"]), 3)) for b in fb])
        cad = []
        for b in fb:
            if b["cadence_spm"]:
                cad += cadence_rows(float(b["start_s"]), float(b["end_s"]), float(b["cadence_spm"]))
        write_csv(os.path.join(tdir, "cadence.csv"), ["t_s", "cadence_spm"], cad)
        write_run_facts(tdir, [
            ("duration_s", sample_count(path) / 100.0),
            ("location", "sacrum"),
            ("sample_rate_hz", 100.0),
            ("n_steps", len(steps)),
            ("scenario", "lab walking, %s reference" % ref_system),
        ])
    return manifest


# ---------------------------------------------------------------- ipol
def commented_copy(src_path, dst_path):
    """Copy of a text recording whose first line (a preamble before the header) is
    turned into a '#' comment, which gaitbatch's CSV reader skips."""
    os.makedirs(os.path.dirname(dst_path), exist_ok=True)
    with open(src_path, "rb") as f, open(dst_path, "wb") as g:
        first = f.readline()
        g.write(b"# " + first)
        while True:
            block = f.read(1 << 16)
            if not block:
                break
            g.write(block)
    return dst_path


def ipol(src, out, readable_copies=False):
    trials = read_csv(os.path.join(src, "trials.csv"))
    manifest = []
    for tr in trials:
        name = tr["trial"]
        lb = os.path.join(src, name + "_lb.txt")
        if readable_copies:
            lb = commented_copy(lb, os.path.join(out, "data", name + "_lb.csv"))
        with open(os.path.join(src, name + ".json")) as f:
            meta = json.load(f)  # the JSON uses the literal NaN, which json accepts
        # the events count PacketCounter samples (their offsets to the foot sensors'
        # impacts are steady on that clock, scattered on the row index: the wireless
        # link drops rows); gaitbatch's t = 0 is the first row, whose counter is 1 in
        # 17-3 (0 elsewhere, as the provenance says): shift the truth onto that clock
        with open(os.path.join(src, name + "_lb.txt")) as f:
            f.readline()
            f.readline()
            c0 = float(f.readline().split("\t")[0])
        run_id = "ipol_" + name
        manifest.append([os.path.abspath(lb), run_id, "ipol_s%s" % tr["subject"], "", "sacrum", "m/s2",
                         "", "Acc_X,Acc_Y,Acc_Z", "100", "",
                         "manually checked heel strikes of both feet"])
        tdir = os.path.join(out, "truth", run_id)
        steps = []
        for side, key in ((0, "LeftFootEvents"), (1, "RightFootEvents")):
            ev = meta[key]  # [toe-off, heel strike] per swing phase
            for k, (to, hs) in enumerate(ev):
                ct = (ev[k + 1][0] - hs) * 10.0 if k + 1 < len(ev) else None
                steps.append(((hs - c0) / 100.0, side, ct))
        steps.sort()
        write_csv(os.path.join(tdir, "steps.csv"),
                  ["t_s", "side", "landing", "contact_time_ms", "peak_g"],
                  [(fmt(t, 2), str(s), "unknown", fmt(ct, 0), "") for t, s, ct in steps])
        b0, b1 = meta["TrialBoundaries"]
        u0, u1 = meta["UTurnBoundaries"]
        write_csv(os.path.join(tdir, "scope.csv"), ["t_start_s", "t_end_s"],
                  [(fmt((b0 - c0) / 100.0, 2), fmt((b1 - c0) / 100.0, 2))])
        cad = []
        for lo, hi in ((b0, u0), (u1, b1)):  # the two straight walks, U-turn excluded
            hs = [t for t, _, _ in steps if (lo - c0) / 100.0 <= t <= (hi - c0) / 100.0]
            if len(hs) >= 2:
                cad += cadence_rows(hs[0], hs[-1], 60.0 * (len(hs) - 1) / (hs[-1] - hs[0]))
        write_csv(os.path.join(tdir, "cadence.csv"), ["t_s", "cadence_spm"], cad)
        write_run_facts(tdir, [
            ("duration_s", int(tr["n_samples"]) / 100.0),
            ("location", "sacrum"),
            ("sample_rate_hz", 100.0),
            ("n_steps", len(steps)),
            ("scenario", "10 m walk, U-turn, walk back"),
        ])
    return manifest


# ---------------------------------------------------------------- strikewatch
def strikewatch(src, out):
    labels = read_csv(os.path.join(src, "labels.csv"))
    pattern = {"heelstrike": "rearfoot", "forefootstrike": "midfoot"}
    manifest = []
    for lab in labels:
        stem = lab["file"][:-4]
        run_id = "strikewatch_" + stem
        # Saturation at +-19.6 m/s2 = 2 g (PROVENANCE.md); rate 100 Hz inferred, not stated.
        manifest.append([os.path.abspath(os.path.join(src, lab["file"])), run_id,
                         "strikewatch_p%s" % lab["participant"], "", "wrist", "m/s2", "2",
                         "x,y,z", "100", "", "foot-strike label per recording; rate inferred"])
        tdir = os.path.join(out, "truth", run_id)
        write_run_facts(tdir, [
            ("duration_s", int(lab["n_samples"]) / 100.0),
            ("location", "wrist"),
            ("sample_rate_hz", 100.0),
            ("landing_pattern", pattern[lab["foot_strike_label"]]),
            ("rearfoot_share", 1.0 if lab["foot_strike_label"] == "heelstrike" else 0.0),
            ("scenario", "outdoor running, " + lab["foot_strike_label"]),
        ])
    return manifest


def main(argv=None):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("real", nargs="?", default=os.path.join(repo, "..", "shared", "datasets", "real"),
                    help="folder of the real datasets (default: <repo>/../shared/datasets/real)")
    ap.add_argument("-o", "--out", required=True, help="output folder (one sub-folder per dataset)")
    ap.add_argument("--only", action="append", choices=DATASETS, help="convert only this dataset")
    ap.add_argument("--ref-system", default="INDIP", choices=("INDIP", "Stereophoto"),
                    help="mobgap reference system (default INDIP)")
    ap.add_argument("--readable-copies", action="store_true",
                    help="ipol: point the manifest at copies in OUT whose preamble line is a "
                         "'#' comment (for readers that do not skip it)")
    a = ap.parse_args(argv)
    real = os.path.abspath(a.real)
    if not os.path.isdir(real):
        print("real_truth.py: error: %s: no such folder" % real, file=sys.stderr)
        return 2
    done = 0
    for name in a.only or DATASETS:
        src = os.path.join(real, name)
        if not os.path.isdir(src):
            print("real_truth.py: warning: %s absent, skipped" % src, file=sys.stderr)
            continue
        dst = os.path.join(a.out, name)
        if name == DATASETS[0]:
            rows = alcantara(src, dst)
        elif name == DATASETS[1]:
            rows = mobgap(src, dst, a.ref_system)
        elif name == DATASETS[2]:
            rows = ipol(src, dst, a.readable_copies)
        else:
            rows = strikewatch(src, dst)
        write_csv(os.path.join(dst, "manifest.csv"), MANIFEST_COLS, rows)
        print("%s: %d runs -> %s" % (name, len(rows), dst))
        done += 1
    return 0 if done else 1


if __name__ == "__main__":
    sys.exit(main())
