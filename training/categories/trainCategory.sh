#!/usr/bin/env bash
# One shipped category, end to end, resumable: every step picks up where a killed run stopped.
#   bash training/categories/trainCategory.sh <category> [work-dir]
# Work (meshes, dataset, run) goes to work-dir (default /tmp/imnet-categories, not committed: ~28 MB of
# dataset per 200 shapes, regenerated exactly from the seeds); the exported weights go to
# weights/<category>/ (float16), the pictures to docs/categories/<category>-*.png.
# tfjs-wasm trains on one core in Node, so two categories can train side by side on a 2-core machine.
set -euo pipefail
category="${1:?usage: trainCategory.sh <category> [work-dir]}"
work="${2:-/tmp/imnet-categories}"
count="${COUNT:-200}"
cd "$(dirname "$0")/../.."
# The CLI from this checkout's source (an installed package has the built `npx imnet` instead).
imnet() { node training/cli/imnet.mjs "$@"; }

meshes="$work/meshes/$category"; data="$work/data/$category"; run="$work/runs/$category"
[ -f "$meshes/generate.json" ] || imnet generate "$category" --count "$count" --seed 1 --out "$meshes"
imnet prepare "$meshes" --out "$data" --seed 1 --jobs 1   # 256^3, surface voxels kept (IM-NET/binvox); resumes on its own
# Auto-decoder from PCA codes, small steps (16 shapes x 512 points): measured on 300 chairs, twice the
# loss drop per second of 32 x 1024 at the same points/s, and far ahead of noise-initialised codes.
# Cross-entropy with a fifth of far points: the best of four recipes per CPU minute (docs/recipes.md);
# LOSS=mse FAR_FRACTION=0 is IM-NET's. The shipped runs: EPOCHS_64=5 (table, chair), 4 (airplane, rifle,
# vase), 3 (car), so that all six fitted one session.
train_flags=(--preset web32 --mode autodecoder --latent-init pca --epochs-16 "${EPOCHS_16:-1}" --epochs-32 "${EPOCHS_32:-1}"
  --epochs-64 "${EPOCHS_64:-5}" --batch-size 16 --points 512 --lr "${LR:-0.001}" --beta1 0.9 --latent-lr 0.01 --encode-steps "${ENCODE_STEPS:-200}"
  --loss "${LOSS:-bce}" --far-fraction "${FAR_FRACTION:-0.2}" --seed 1 --checkpoint-minutes 3)
# Not stored in run.json, so given again on --resume: the same worker count keeps the resume bit-identical.
# Two categories side by side with WORKERS=1 each train more points per second than one on two workers.
workers=(--workers "${WORKERS:-1}")
# A finished run given a larger EPOCHS_64 trains on from its checkpoint, and its GAN, which learnt the
# old codes, is trained again; a new ENCODE_STEPS only encodes the held-out shapes again.
run_setting() { node -e 'const c = require(process.argv[1]).config; console.log(process.argv[2] === "epochs" ? c.stages.at(-1).epochs : c.encodeSteps)' "$run/run.json" "$1"; }
if [ -f "$run/model/model.json" ] && [ "$(run_setting epochs)" = "${EPOCHS_64:-5}" ] && [ "$(run_setting encode)" = "${ENCODE_STEPS:-200}" ]; then
  echo "train: $run already finished"
elif [ -f "$run/checkpoint.bin" ]; then
  if [ -f "$run/model/model.json" ] && [ "$(run_setting epochs)" != "${EPOCHS_64:-5}" ]; then rm -rf "$run/gan"; fi
  imnet train "$data" --out "$run" --resume "${workers[@]}" --epochs-64 "${EPOCHS_64:-5}" --encode-steps "${ENCODE_STEPS:-200}"
else imnet train "$data" --out "$run" "${train_flags[@]}" "${workers[@]}"; fi
# IM-GAN's 2048-wide generator is ~9.4 MB per category in float16; 512 keeps weights/ under 15 MB for six.
if [ -f "$run/gan/checkpoint.bin" ]; then gan_resume=(--resume); else gan_resume=(); fi
[ -f "$run/gan/done" ] || { imnet gan "$run" --width 512 --epochs "${GAN_EPOCHS:-200}" "${gan_resume[@]}" && touch "$run/gan/done"; }
imnet export "$run" --out "weights/$category" --float16
imnet eval "weights/$category" "$data" --split test --out "$run/eval-test.json"
imnet eval "weights/$category" "$data" --split train --limit 30 --out "$run/eval-train.json"
imnet sheet "weights/$category" "$data" --out "docs/categories/$category" --count 8 --samples 16
