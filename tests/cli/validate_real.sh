# Real recordings end to end (scripts/real_truth.py -> batch -> eval --json) against the
# issue-4 figures that hold today. Skipped (exit 77) when ../shared/datasets/real is absent.
# Asserted: Alcantara (sacrum, force-treadmill truth) contact precision >= 0.97 at +-50 ms on
# every trial, cadence within +-3 spm on every trial, and as regression guards the pooled
# contact recall >= 0.97 and the pooled |mean contact time - force plate| <= 30 ms; every
# strikewatch wrist recording's landing pattern 'unknown' (a wrist cannot tell, DESIGN §5).
# NOT asserted because not met yet (reported in README "Validation"): recall >= 0.97 on EVERY
# Alcantara trial (3 of 21 miss their last contact, 6-48 ms before the 4.96 s clip ends);
# mean contact time within +-30 ms on EVERY trial (20 of 21 at the last check); initial-contact
# F1 >= 0.95 at +-100 ms on mobgap and ipol walking.
source "$(dirname "$0")/lib/common.bash"

real="${GB_SHARED_DIR:-$GB_SOURCE_DIR/../shared}/datasets/real"
if [ ! -d "$real" ]; then
  echo "skipped: ../shared/datasets/real absent"
  exit 77
fi

ran=0
# alcantara ------------------------------------------------------------------------
A=alcantara-sacrum-treadmill-running
if [ -d "$real/$A" ]; then
  ran=1
  py "$GB_SOURCE_DIR/scripts/real_truth.py" "$real" -o "$T/rt" --only "$A" >/dev/null
  expect_rc 0 "$GB_BIN" batch "$T/rt/$A" -o "$T/ra" -j 2 -q
  expect_rc 0 "$GB_BIN" eval "$T/ra" "$T/rt/$A" --json --tolerance-ms 50
  cp "$T/out" "$T/a.json"
  py - "$T/a.json" "$real/$A/trials.csv" <<'PY' || bad "alcantara figures (details above)"
import csv, json, sys
d = json.load(open(sys.argv[1]))
trials = list(csv.DictReader(open(sys.argv[2], newline="")))
fails = 0
def check(what, ok, detail):
    global fails
    print("%s - %s (%s)" % ("ok  " if ok else "FAIL", what, detail))
    fails += not ok
# counts that depend on the truth only: one run per trial, sum of n_ic_grf contacts
check("every trial scored", d["runs_scored"] == len(trials) and not d["runs_missing"],
      "%d of %d" % (d["runs_scored"], len(trials)))
m = d["metrics"]
n_ic = sum(int(t["n_ic_grf"]) for t in trials)
check("recall over all force-plate contacts", m["steps_recall"]["n"] == n_ic, "%d vs %d" % (m["steps_recall"]["n"], n_ic))
bad_p = [(r["run_id"], r["metrics"]["steps_precision"]["value"]) for r in d["runs"]
         if not (r["metrics"]["steps_precision"]["value"] or 0) >= 0.97]
check("contact precision >= 0.97 at +-50 ms on every trial", not bad_p, "below: %s" % bad_p)
bad_c = [(r["run_id"], r["metrics"]["cadence_mean_err_spm"]["value"]) for r in d["runs"]
         if r["metrics"]["cadence_mean_err_spm"]["value"] is None or r["metrics"]["cadence_mean_err_spm"]["value"] > 3.0]
check("cadence within +-3 spm of the force plate on every trial", not bad_c, "outside: %s" % bad_c)
v = m["steps_recall"]["value"]
check("pooled contact recall >= 0.97 at +-50 ms", v is not None and v >= 0.97, "%s" % v)
v = m["contact_time_run_mae_ms"]["value"]
check("pooled mean |contact time - force plate| <= 30 ms", v is not None and v <= 30.0, "%s ms" % v)
sys.exit(1 if fails else 0)
PY
else
  echo "skipped part: ../shared/datasets/real/$A absent"
fi

# strikewatch ------------------------------------------------------------------------
S=strikewatch-wrist-running
if [ -d "$real/$S" ]; then
  ran=1
  py "$GB_SOURCE_DIR/scripts/real_truth.py" "$real" -o "$T/rt" --only "$S" >/dev/null
  expect_rc 0 "$GB_BIN" batch "$T/rt/$S" -o "$T/rs" -j 2 -q
  expect_rc 0 "$GB_BIN" eval "$T/rs" "$T/rt/$S" --json
  cp "$T/out" "$T/s.json"
  py - "$T/s.json" "$real/$S/labels.csv" <<'PY' || bad "strikewatch landing (details above)"
import csv, json, sys
d = json.load(open(sys.argv[1]))
n = len(list(csv.DictReader(open(sys.argv[2], newline=""))))
m = d["metrics"]
ok = d["runs_scored"] == n and m["landing_run_unknown"]["value"] == n and m["landing_run_accuracy"]["n"] == 0
print("%s - wrist landing pattern unknown on all %d recordings (unknown %s, decided %s)" % (
    "ok  " if ok else "FAIL", n, m["landing_run_unknown"]["value"], m["landing_run_accuracy"]["n"]))
sys.exit(0 if ok else 1)
PY
else
  echo "skipped part: ../shared/datasets/real/$S absent"
fi

if [ "$ran" = 0 ]; then
  echo "skipped: ../shared/datasets/real/{$A,$S} absent"
  exit 77
fi
finish
