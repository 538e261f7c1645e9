#!/usr/bin/env bash
# One shipped category, end to end, resumable: every step picks up where a killed run stopped.
#   bash training/categories/trainCategory.sh <category> [work-dir]
# Work (meshes, dataset, run) goes to work-dir (default /tmp/imnet-categories, not committed: ~45 MB of
# dataset per 300 shapes); the exported weights go to weights/<category>/, float16.
set -euo pipefail
category="${1:?usage: trainCategory.sh <category> [work-dir]}"
work="${2:-/tmp/imnet-categories}"
count="${COUNT:-300}"
cd "$(dirname "$0")/../.."

meshes="$work/meshes/$category"; data="$work/data/$category"; run="$work/runs/$category"
[ -f "$meshes/generate.json" ] || npx imnet generate "$category" --count "$count" --seed 1 --out "$meshes"
npx imnet prepare "$meshes" --out "$data"            # resumes on its own
train_flags=(--preset web32 --mode autodecoder --epochs-16 "${EPOCHS_16:-8}" --epochs-32 "${EPOCHS_32:-8}" \
  --epochs-64 "${EPOCHS_64:-6}" --lr 0.001 --beta1 0.9 --latent-lr 0.003 --encode-steps 150 --seed 1 --checkpoint-minutes 3)
if [ -f "$run/checkpoint.bin" ]; then npx imnet train "$data" --out "$run" --resume; else npx imnet train "$data" --out "$run" "${train_flags[@]}"; fi
# IM-GAN's 2048-wide generator is ~9.4 MB per category in float16; 512 keeps weights/ under 15 MB for six.
npx imnet gan "$run" --width 512 --epochs "${GAN_EPOCHS:-200}"
npx imnet export "$run" --out "weights/$category" --float16
npx imnet eval "$run" "$data" --split test
