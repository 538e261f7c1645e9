#!/usr/bin/env bash
# The runs behind docs/results.md (issue 10: IM-NET's comparison of CNN-AE and IM-AE, and of CNN-GAN and
# IM-GAN), for one category, end to end and resumable: every step picks up where a killed one stopped.
#   bash training/categories/paperComparison.sh <category> [work-dir]
# Then `npx imnet report <work-dir>/runs` measures every category found there and writes docs/results.md.
#
# The sizes are what a shared 2-core CPU affords (COUNT shapes, a few core-minutes per model). The
# paper's schedule is the same commands with the size flags removed (their defaults are IM-NET's:
# 200 epochs per level, lr 5e-5, beta1 0.5, encoder width 32, 4096 points; 2048-wide GAN).
set -euo pipefail
category="${1:?usage: paperComparison.sh <category> [work-dir]}"
work="${2:-experiments}"
count="${COUNT:-60}"
cd "$(dirname "$0")/../.."
# The CLI from this checkout's source (an installed package has the built `npx imnet` instead).
imnet() { node training/cli/imnet.mjs "$@"; }

meshes="$work/meshes/$category"; data="$work/data/$category"; runs="$work/runs/$category"
[ -f "$meshes/generate.json" ] || imnet generate "$category" --count "$count" --seed 1 --out "$meshes"
imnet prepare "$meshes" --out "$data" --jobs 1   # 256^3, 80/20 split; resumes on its own

# Shared by both auto-encoders: the same encoder, optimizer and batches of shapes. lr 2e-3 and 4 shapes per
# step: on 48 airplanes a CNN-AE at 3e-3 and 4 shapes reached training IoU 0.3-0.44 in 48 steps.
common=(--preset web32 --encoder-width "${ENCODER_WIDTH:-8}" --batch-size "${BATCH:-4}" --lr "${LR:-0.002}" --beta1 0.9 --seed 1 --checkpoint-minutes 5)
train() { # <run-dir> <flags...>: a new run, a resumed one, or nothing when it is done
  local run="$1"; shift
  if [ -f "$run/model/done" ]; then echo "train: $run already finished"
  elif [ -f "$run/checkpoint.bin" ]; then imnet train "$data" --out "$run" --resume && touch "$run/model/done"
  else imnet train "$data" --out "$run" "$@" && touch "$run/model/done"; fi
}
# IM-AE, progressive 16^3 -> 32^3 -> 64^3.
train "$runs/im" "${common[@]}" --epochs-16 "${EPOCHS_16:-3}" --epochs-32 "${EPOCHS_32:-3}" --epochs-64 "${EPOCHS_64:-1}" --points 2048
# CNN-AE: the 64^3 grid every step; as many optimizer steps as IM-AE's run above.
train "$runs/cnn" "${common[@]}" --decoder cnn --epochs "${CNN_EPOCHS:-20}"

# The latent GAN on each auto-encoder's training codes.
for run in "$runs/im" "$runs/cnn"; do
  if [ -f "$run/gan/checkpoint.bin" ]; then resume=(--resume); else resume=(); fi
  [ -f "$run/gan/done" ] || { imnet gan "$run" --width "${GAN_WIDTH:-512}" --epochs "${GAN_EPOCHS:-200}" "${resume[@]}" && touch "$run/gan/done"; }
done
