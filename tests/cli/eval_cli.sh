#!/usr/bin/env bash
# gaitbatch eval: usage, exit codes, errors naming file:line, missing reports, and (when
# the real Alcantara data are present) the whole chain real_truth.py -> batch -> eval.
set -u
: "${GB_BIN:?GB_BIN not set}" "${GB_SOURCE_DIR:?GB_SOURCE_DIR not set}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# --help to stdout, exit 0; usage errors exit 2
out=$("$GB_BIN" eval --help) || fail "--help exit $?"
grep -q "Usage: gaitbatch eval" <<<"$out" || fail "--help text"
"$GB_BIN" eval >/dev/null 2>&1; [ $? -eq 2 ] || fail "no arguments should exit 2"
"$GB_BIN" eval a b --tolerance-ms abc >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --tolerance-ms should exit 2"
"$GB_BIN" eval a b c >/dev/null 2>&1; [ $? -eq 2 ] || fail "3 operands should exit 2"

# no manifest: exit 3 naming it
mkdir -p "$tmp/empty"
err=$("$GB_BIN" eval "$tmp/out" "$tmp/empty" 2>&1 >/dev/null); rc=$?
[ $rc -eq 3 ] || fail "missing manifest: exit $rc"
grep -q "manifest.csv" <<<"$err" || fail "missing manifest message: $err"

# malformed truth: exit 3 naming file:line
mkdir -p "$tmp/bad/truth/r1"
printf 'path,run_id\nr1.csv,r1\n' >"$tmp/bad/manifest.csv"
printf 't_s,landing\n1.0,rearfoot\n2.0,heel\n' >"$tmp/bad/truth/r1/steps.csv"
err=$("$GB_BIN" eval "$tmp/out" "$tmp/bad" 2>&1 >/dev/null); rc=$?
[ $rc -eq 3 ] || fail "malformed truth: exit $rc"
grep -q "truth/r1/steps.csv:3:" <<<"$err" || fail "malformed truth message: $err"

# no reports at all: exit 1, each run listed on stderr, table still printed
printf 't_s\n1.0\n' >"$tmp/bad/truth/r1/steps.csv"
mkdir -p "$tmp/bad/truth/r2"
printf 'path,run_id\nr1.csv,r1\nr2.csv,r2\n' >"$tmp/bad/manifest.csv"
out=$("$GB_BIN" eval "$tmp/out" "$tmp/bad" 2>"$tmp/err"); rc=$?
[ $rc -eq 1 ] || fail "no reports: exit $rc"
grep -q "run r1" "$tmp/err" && grep -q "run r2" "$tmp/err" || fail "missing runs not listed: $(cat "$tmp/err")"
grep -q "^steps_recall" <<<"$out" || fail "table not printed"

# the whole chain on real data
real="${GB_SHARED_DIR:-$GB_SOURCE_DIR/../shared}/datasets/real"
if [ ! -d "$real/alcantara-sacrum-treadmill-running" ]; then
  echo "skipped: ../shared/datasets/real/alcantara-sacrum-treadmill-running absent"
  exit 0
fi
command -v python3 >/dev/null || { echo "skipped: python3 absent"; exit 0; }
python3 "$GB_SOURCE_DIR/scripts/real_truth.py" "$real" -o "$tmp/rt" \
  --only alcantara-sacrum-treadmill-running >/dev/null || fail "real_truth.py"
ds="$tmp/rt/alcantara-sacrum-treadmill-running"
"$GB_BIN" batch "$ds" -o "$tmp/res" -j 2 -q >/dev/null 2>&1; rc=$?
[ $rc -eq 0 ] || fail "batch exit $rc"
"$GB_BIN" eval "$tmp/res" "$ds" --json >"$tmp/e.json"; rc=$?
[ $rc -eq 0 ] || fail "eval exit $rc"
# Numbers that depend only on the truth (not on the analyzer): 21 trials and 332
# force-plate contacts (sum of n_ic_grf in trials.csv), so recall is over 332 steps.
python3 - "$tmp/e.json" <<'PY' || fail "json checks"
import json, sys
d = json.load(open(sys.argv[1]))
m = d["metrics"]
assert d["runs_scored"] == 21 and d["runs_missing"] == [], d
assert m["steps_recall"]["n"] == 332, m["steps_recall"]
assert m["steps_matched"]["value"] + m["steps_missed"]["value"] == 332
assert m["trunk_lean_mae_deg"]["value"] is None and "skipped" in m["trunk_lean_mae_deg"]["note"]
assert m["landing_run_accuracy"]["n"] + m["landing_run_unknown"]["value"] == 21
assert len(d["runs"]) == 21
PY
# the table with per-run rows (-v)
"$GB_BIN" eval "$tmp/res" "$ds" -v >"$tmp/t.txt" 2>/dev/null || fail "table exit"
grep -q "^steps_recall  *[0-9.]*  *332 " "$tmp/t.txt" || fail "table row steps_recall"
grep -q "^alcantara_trial01 " "$tmp/t.txt" || fail "-v per-run rows"
echo "eval_cli: ok"
