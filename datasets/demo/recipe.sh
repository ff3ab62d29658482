#!/usr/bin/env bash
# The demo dataset, generated deterministically by gaitbatch's own ground-truth
# generator (nothing binary is committed): a 3-athlete, 6-week cohort with planted
# load scenarios, and four single runs covering shank and sacrum sensors, FLAC, WAV
# and CSV. Usage: datasets/demo/recipe.sh GAITBATCH OUTDIR   (idempotent)
set -euo pipefail
GB=$1
DIR=$2
stamp="$DIR/.recipe-v1"
if [ -f "$stamp" ]; then
  echo "demo dataset already in $DIR"
  exit 0
fi
rm -rf "$DIR"
mkdir -p "$DIR"
"$GB" synth -o "$DIR" --athletes 3 --weeks 6 --seed 7
touch "$stamp"
echo "demo dataset written to $DIR"
