#!/usr/bin/env bash
# docs/straight_paths/nll.txt: the exact NLL (eval's, nats a point, on 2000
# fresh points: --data_seed 1000) of every flow model scripts/straight_paths.sh
# trained and reflowed into OUT, and of noise-prediction (DDPM) models of
# each dataset and seed (the reference recipe: 200 epochs of 8000 points;
# "ddpm" with its linear schedule, "ddpm_cosine" with the cosine one, which
# ends in noise), which this script trains into OUT/models/<dataset>_<model>_<seed>.
# Prints lines "dataset coupling model seed NLL" (coupling "-" for DDPM).
# Usage: scripts/nll.sh [OUT] > docs/straight_paths/nll.txt (default
# straight_paths/, after scripts/straight_paths.sh OUT); needs build/tinydiff.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-straight_paths}
bin=build/tinydiff
nll() {  # model file, dataset
  "$bin" eval --model "$1" --dataset "$2" --data_seed 1000 --n 200 | grep -oE "^NLL [0-9.-]+" | cut -d' ' -f2
}
for dataset in dino moons eight_gaussians; do
  for schedule in linear cosine; do
    name=ddpm; [ "$schedule" = linear ] || name=ddpm_$schedule
    for seed in 0 1 2; do
      "$bin" train --dataset "$dataset" --seed "$seed" --beta_schedule "$schedule" --no_images --quiet \
        --out_dir "$out/models" --experiment_name "${dataset}_${name}_$seed" > /dev/null &
    done
    wait
  done
done
for dataset in dino moons eight_gaussians; do
  for coupling in independent ot; do
    for seed in 0 1 2; do
      for model in model reflowed; do
        echo "$dataset $coupling $model $seed $(nll "$out/models/${dataset}_${coupling}_$seed/$model.safetensors" "$dataset")"
      done
    done
  done
  for name in ddpm ddpm_cosine; do
    for seed in 0 1 2; do
      echo "$dataset - $name $seed $(nll "$out/models/${dataset}_${name}_$seed/model.safetensors" "$dataset")"
    done
  done
done
