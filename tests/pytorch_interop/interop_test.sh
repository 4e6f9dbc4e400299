#!/usr/bin/env bash
# Models trained by `tinydiff train` (noise prediction with sinusoidal and
# learnable embeddings, and flow matching) load into the reference PyTorch MLP
# (load_state_dict, strict) and give the same outputs within 1e-5 (a flow
# model at the time embedding input t * T).
# usage: interop_test.sh TINYDIFF PREDICT_DUMP WORK_DIR
set -euo pipefail
bin=$1 dump=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work" && cd "$work"
# name, time and input embedding, objective
for run in "sinusoidal sinusoidal sinusoidal eps" "learnable learnable learnable eps" "flow sinusoidal sinusoidal flow"; do
  set -- $run
  "$bin" train --experiment_name "$1" --dataset moons --num_points 640 --num_epochs 2 --hidden_size 48 \
    --hidden_layers 2 --embedding_size 16 --time_embedding "$2" --input_embedding "$3" --objective "$4" \
    --eval_batch_size 50 --no_images --quiet >/dev/null
  "$dump" "exps/$1/model.safetensors" >"$1.json"
  /usr/bin/python3 "$here/pytorch_interop.py" check "exps/$1/model.safetensors" "$1.json"
done
