#!/usr/bin/env bash
# Issue 14, item 2: which training recipe buys more held-out IoU per core-minute, on one category.
#   bash training/categories/recipeCurves.sh <category> [work-dir]
# Four auto-decoder runs on the same dataset, split, schedule and seed, differing only in the loss and
# in where the finer levels' points come from:
#   imnet-mse    IM-NET's recipe: MSE of the leaky-clip output, near-surface points only (--far-fraction 0)
#   bce          cross-entropy on the last layer as a logit (sigmoid output)
#   mse-far0.2   MSE, a fifth of each 32^3/64^3 step's points from the 16^3 samples (the whole box)
#   bce-far0.2   both changes
# Each run records its training curve (imnet train --curve-every: held-out IoU at 64^3 against training's
# CPU minutes, every worker counted, the measurements themselves not); then `imnet curves` draws them into
# docs/recipes/<category>.png (IoU) and <category>-loss.png, with the table in docs/recipes/<category>.md.
#
# Budget: the trainer has no CPU-time stop, so each run gets the same schedule, sized for ~15 core-minutes
# of training on COUNT=300 shapes (the shipped runs: 2/2/4 epochs, ~20M points, ~25 core-minutes;
# 1/1/2 epochs is ~10M points); the curves' x axis is measured CPU, so runs compare at equal cost
# whatever the schedule. Each measurement (CURVE_SHAPES held-out codes fitted for 100 steps, then scored
# at 64^3) costs CPU of its own, reported in the table. Resumable: a killed run continues from its
# checkpoint (its curve too); finished runs are skipped.
set -euo pipefail
category="${1:?usage: recipeCurves.sh <category> [work-dir]}"
work="${2:-/tmp/imnet-recipes}"
count="${COUNT:-300}"
cd "$(dirname "$0")/../.."
# The CLI from this checkout's source (an installed package has the built `npx imnet` instead).
imnet() { node training/cli/imnet.mjs "$@"; }

meshes="$work/meshes/$category"; data="$work/data/$category"; runs="$work/runs/$category"
[ -f "$meshes/generate.json" ] || imnet generate "$category" --count "$count" --seed 1 --out "$meshes"
imnet prepare "$meshes" --out "$data" --seed 1 --jobs 1 ${RESOLUTION:+--resolution "$RESOLUTION"}   # 80/20 split; resumes on its own

# trainCategory.sh's recipe (auto-decoder from PCA codes, 16 shapes x 512 points, lr 1e-3), progressive
# 16^3 -> 32^3 -> 64^3: the table failure (loss 0.070 -> 0.212 at the move to 32^3) needs the move.
common=(--preset web32 --mode autodecoder --latent-init pca --epochs-16 "${EPOCHS_16:-1}" --epochs-32 "${EPOCHS_32:-1}"
  --epochs-64 "${EPOCHS_64:-2}" --batch-size 16 --points 512 --lr "${LR:-0.001}" --beta1 0.9 --latent-lr 0.01
  --encode-steps "${ENCODE_STEPS:-100}" --seed 1)
# Not stored in run.json, so given again on --resume: the same worker count keeps the resume bit-identical.
session=(--workers "${WORKERS:-2}" --checkpoint-minutes 3 --curve-every "${CURVE_EVERY:-3}" --curve-shapes "${CURVE_SHAPES:-8}"
  --curve-train-shapes "${CURVE_TRAIN_SHAPES:-2}" ${CURVE_RESOLUTION:+--curve-resolution "$CURVE_RESOLUTION"}
  ${CURVE_FIT_STEPS:+--curve-fit-steps "$CURVE_FIT_STEPS"})
variant() { # <name> <flags...>: a new run, a resumed one, or nothing when it is done
  local run="$runs/$1"; shift
  if [ -f "$run/model/model.json" ]; then echo "recipe: $run already finished"
  elif [ -f "$run/checkpoint.bin" ]; then imnet train "$data" --out "$run" --resume "${session[@]}"
  else imnet train "$data" --out "$run" "${common[@]}" "$@" "${session[@]}"; fi
}
# PARALLEL=1 runs the four side by side (one process each; with WORKERS=1 on 2 cores, two runs of one worker
# train ~1.3x the points/s of one run on two: the x axis is CPU minutes, so sharing the cores is fair).
launch() { if [ -n "${PARALLEL:-}" ]; then variant "$@" & else variant "$@"; fi; }
launch imnet-mse --loss mse --far-fraction 0
launch bce --loss bce --far-fraction 0
launch mse-far0.2 --loss mse --far-fraction 0.2
launch bce-far0.2 --loss bce --far-fraction 0.2
for job in $(jobs -p); do wait "$job"; done   # each in turn, so a failed run fails the script

out="${OUT:-docs/recipes}"
mkdir -p "$out"
names=(imnet-mse bce mse-far0.2 bce-far0.2)
dirs=("${names[@]/#/$runs/}")
imnet curves "${dirs[@]}" --out "$out/$category.png" --title "$category: held-out IoU per training CPU minute" > "$out/$category.md"
imnet curves "${dirs[@]}" --out "$out/$category-loss.png" --y loss --title "$category: training loss" > /dev/null
cat "$out/$category.md"
