#!/usr/bin/env bash
# Sets up gaitbatch and runs the main job on the demo dataset: installs missing
# Debian packages, builds build/gaitbatch, generates the demo dataset (a
# deterministic recipe: datasets/demo/README.md), runs the nightly batch on it and
# prints the summary. Idempotent: a second run re-analyses nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo "== demo.sh: $*" >&2; }
fail() { echo "== demo.sh: FAILED at step: $*" >&2; exit 1; }

step "install dependencies and build"
scripts/build.sh >&2 || fail "build (scripts/build.sh)"
GB=build/gaitbatch
DATA=build/demo-data
OUT=build/demo-out

step "generate the demo dataset into $DATA (datasets/demo/recipe.sh)"
datasets/demo/recipe.sh "$GB" "$DATA" >&2 || fail "generate demo dataset"

step "run the nightly batch: $GB batch $DATA -o $OUT"
rc=0
"$GB" batch "$DATA" -o "$OUT" || rc=$?
[ "$rc" -le 1 ] || fail "batch (exit $rc)"

step "summary: $GB show $OUT/summary.h5"
"$GB" show "$OUT/summary.h5" || fail "show"
