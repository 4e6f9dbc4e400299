#!/usr/bin/env bash
# Models trained by `tinydiff train` (noise prediction with sinusoidal and
# learnable embeddings, flow matching, and a conditional model) load into the
# reference PyTorch MLP (load_state_dict, strict; the conditional one into
# the shipped MLP with its class table) and give the same outputs within
# 1e-5 (a flow model at the time embedding input t * T; the conditional one
# for each class and "no class").
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
# A conditional flow model of three classes, trained on labelled points.
/usr/bin/python3 -c "
import random
random.seed(3)
print('x,y,label')
for i in range(600): print(f'{random.gauss(0, 1):.4f},{random.gauss(0, 1):.4f},{i % 3}')" >labelled.csv
"$bin" train --experiment_name conditional --data labelled.csv --num_epochs 2 --hidden_size 48 --hidden_layers 2 \
  --embedding_size 16 --objective flow --eval_batch_size 50 --no_images --quiet >/dev/null
"$dump" exps/conditional/model.safetensors >conditional.json
grep -q '"labels":\[0,1,2,3,0\]' conditional.json
/usr/bin/python3 "$here/pytorch_interop.py" check exps/conditional/model.safetensors conditional.json
