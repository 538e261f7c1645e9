#!/usr/bin/env bash
# The MNIST digit models of docs/digits.md, one after another with the narrow preset's CPU schedule,
# then their sheets and scores and the runtime weights of IM-GAN. Safe to re-run after an interruption:
# a model with a checkpoint is resumed (a finished one returns at once). New runs use seed 1, the seed
# of the runs in docs/digits.md (imnet's default is 0); a --seed among the arguments wins.
#
#   nohup nice -n 10 bash training/categories/trainDigits.sh > runs/digits.log 2>&1 &
set -euo pipefail
cd "$(dirname "$0")/../.."
# The CLI from this checkout's source (an installed package has the built `npx imnet` instead).
imnet() { node training/cli/imnet.mjs "$@"; }
RUNS=${RUNS:-runs/digits}
for model in cnn-ae im-ae im-gan cnn-gan vae vae-im dcgan wgan wgan-im; do
  if [ -f "$RUNS/$model/checkpoint.bin" ]; then
    imnet digits train "$model" --runs "$RUNS" --resume
  else
    imnet digits train "$model" --runs "$RUNS" --seed 1 "$@"
  fi
done
imnet digits sheet --runs "$RUNS" --out docs/digits
imnet digits export --runs "$RUNS" --weights weights/digits
