#!/usr/bin/env bash
# A model trained by `tinydiff train` loads into the reference PyTorch MLP
# (load_state_dict, strict) and gives the same outputs within 1e-5.
# usage: interop_test.sh TINYDIFF PREDICT_DUMP WORK_DIR
set -euo pipefail
bin=$1 dump=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work" && cd "$work"
for kinds in "sinusoidal sinusoidal" "learnable learnable"; do
  set -- $kinds
  "$bin" train --experiment_name "$1" --dataset moons --num_points 640 --num_epochs 2 --hidden_size 48 \
    --hidden_layers 2 --embedding_size 16 --time_embedding "$1" --input_embedding "$2" \
    --eval_batch_size 50 --no_images --quiet >/dev/null
  "$dump" "exps/$1/model.safetensors" >"$1.json"
  /usr/bin/python3 "$here/pytorch_interop.py" check "exps/$1/model.safetensors" "$1.json"
done
