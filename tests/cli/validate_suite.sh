# The standard synthetic suite end to end (synth --suite -> batch -> eval --json) against
# the issue-4 targets that the pipeline meets today. Groups are scored by `gaitbatch eval`
# itself on filtered copies of the suite's manifest that share its truth folders.
# Targets NOT asserted here because they are not met yet (see README "Validation"):
# contact F1 >= 0.98 on sacrum/trunk runs, every injected event found. They must not be
# weakened to pass: they are left out until they hold.
source "$(dirname "$0")/lib/common.bash"

D=$T/suite
"$GB_BIN" synth -o "$D" --suite >/dev/null
expect_rc 0 "$GB_BIN" batch "$D" -o "$T/res" -j 2 -q

# filtered manifests: tibia 100-1000 Hz, tibia >= 500 Hz, sacrum/trunk 100-1000 Hz
py - "$D" "$T" <<'PY'
import csv, os, sys
d, t = sys.argv[1:3]
rows = list(csv.DictReader(open(os.path.join(d, "manifest.csv"), newline="")))
groups = {
    "shank": lambda r: r["location"] == "tibia" and 100 <= float(r["rate_hz"]) <= 1000,
    "shank500": lambda r: r["location"] == "tibia" and float(r["rate_hz"]) >= 500,
    "trunk": lambda r: r["location"] in ("sacrum", "trunk") and 100 <= float(r["rate_hz"]) <= 1000,
    "core": lambda r: r["location"] in ("tibia", "sacrum", "trunk") and 100 <= float(r["rate_hz"]) <= 1000,
}
for g, keep in groups.items():
    os.makedirs(os.path.join(t, g))
    os.symlink(os.path.join(d, "truth"), os.path.join(t, g, "truth"))
    with open(os.path.join(t, g, "manifest.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(r for r in rows if keep(r))
PY
for g in all shank shank500 trunk core; do
  src=$T/$g
  [ "$g" = all ] && src=$D
  expect_rc 0 "$GB_BIN" eval "$T/res" "$src" --json
  cp "$T/out" "$T/$g.json"
done

py - "$T" <<'PY' || bad "suite targets (details above)"
import json, os, sys
t = sys.argv[1]
J = {g: json.load(open(os.path.join(t, g + ".json"))) for g in ("all", "shank", "shank500", "trunk", "core")}
fails = 0
def check(what, ok, detail):
    global fails
    print("%s - %s (%s)" % ("ok  " if ok else "FAIL", what, detail))
    fails += not ok
def m(g, k):
    x = J[g]["metrics"][k]
    return x["value"], x["n"]

a = J["all"]
check("all 17 suite runs scored", a["runs_scored"] == 17 and a["runs_missing"] == [],
      "%d scored, missing %s" % (a["runs_scored"], a["runs_missing"]))

# issue 4: contact F1 >= 0.98 at +-25 ms on shank sensors 100-1000 Hz (own leg: a tibia
# sensor reports its own leg's contacts; eval scores unilateral runs on that leg)
v, n = m("shank", "steps_f1")
check("tibia 100-1000 Hz own-leg contact F1 >= 0.98 at +-25 ms", v is not None and v >= 0.98 and n > 1000,
      "F1 %s over %d" % (v, n))
# issue 4: landing accuracy >= 95 % per step on shank sensors at >= 500 Hz; a step the
# analyzer left unknown counts as wrong
v, n = m("shank500", "landing_step_accuracy_all")
check("tibia >= 500 Hz landing per step >= 0.95 (unknown = wrong)", v is not None and v >= 0.95 and n > 500,
      "accuracy %s over %d" % (v, n))
# issue 4: trunk lean within +-2 deg, on every run with a lean truth
leans = [(r["run_id"], r["metrics"]["trunk_lean_bias_deg"]["value"]) for r in a["runs"]
         if r["metrics"]["trunk_lean_bias_deg"]["n"]]
check("trunk lean within +-2 deg on every sacrum/trunk run", len(leans) >= 5 and all(
      v is not None and abs(v) <= 2.0 for _, v in leans), "%s" % leans)
# cadence: windows vs the true step rate, pooled over the shank and sacrum/trunk runs at
# 100-1000 Hz; bound +-3 spm = the per-trial cadence agreement required on real data
v, n = m("core", "cadence_mae_spm")
check("cadence MAE <= 3 spm (tibia, sacrum/trunk 100-1000 Hz)", v is not None and v <= 3.0 and n > 1000,
      "MAE %s spm over %d windows" % (v, n))
# issue 4: no more than one false event per hour of recording, over the whole suite
v, n = m("all", "events_false_per_hour")
check("<= 1 false event per hour", v is not None and v <= 1.0 and n == 17, "%s per hour over %d runs" % (v, n))
sys.exit(1 if fails else 0)
PY
finish
