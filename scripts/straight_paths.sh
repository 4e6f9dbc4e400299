#!/usr/bin/env bash
# docs/straight_paths.md's table: on each dataset and seed, a flow model with
# independent coupling and one with OT coupling (the reference network,
# 200 epochs of 8000 points), each then reflowed (10,000 pairs solved by
# Heun over 100 steps, 20,000 steps of training on them); every model's W2
# to the data at 1, 2, 4, 8 and 100 Euler steps and its straightness, as
# `tinydiff reflow` prints them. Writes OUT/<dataset>_<coupling>_<seed>.txt.
# Usage: scripts/straight_paths.sh [OUT] (default straight_paths/); needs build/tinydiff.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-straight_paths}
bin=build/tinydiff
mkdir -p "$out"
run() {
  local dataset=$1 coupling=$2 seed=$3 name="$1_$2_$3"
  "$bin" train --dataset "$dataset" --objective flow --coupling "$coupling" --seed "$seed" --no_images --quiet \
    --out_dir "$out/models" --experiment_name "$name" > "$out/$name.train.txt"
  "$bin" reflow --model "$out/models/$name/model.safetensors" --dataset "$dataset" --data_seed 1000 --seed "$seed" \
    --pairs 10000 --train_steps 20000 --out "$out/models/$name/reflowed.safetensors" > "$out/$name.txt"
}
for dataset in dino moons eight_gaussians; do
  for seed in 0 1 2; do
    run "$dataset" independent "$seed" &
    run "$dataset" ot "$seed" &
    wait
  done
done
echo "wrote $out/*.txt"
