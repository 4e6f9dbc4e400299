#!/usr/bin/env bash
# End-to-end checks of the `tinydiff` command line: help, every kind of bad
# option, and a small training run whose outputs are inspected.
# usage: cli_test.sh PATH/TO/tinydiff WORK_DIR
set -u
bin=$1
work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect_error "description" "message fragment" args...: non-zero exit and the message on stderr
expect_error() {
  local what=$1 fragment=$2
  shift 2
  local err
  err=$("$bin" "$@" 2>&1 >/dev/null)
  local code=$?
  if [ $code -eq 0 ]; then bad "$what: exit 0 for: $*"; return; fi
  if ! grep -qF -- "$fragment" <<<"$err"; then bad "$what: message lacks '$fragment': $err"; return; fi
  ok
}

# --- help ---
help=$("$bin" train --help)
for flag in experiment_name dataset train_batch_size eval_batch_size num_epochs learning_rate \
  num_timesteps beta_schedule embedding_size hidden_size hidden_layers time_embedding \
  input_embedding save_images_step seed data; do
  if grep -q -- "--$flag" <<<"$help"; then ok; else bad "train --help lacks --$flag"; fi
done
"$bin" --help | grep -q "train" && ok || bad "--help does not list train"

# --- bad options ---
small=(--num_epochs 1 --num_points 64 --hidden_size 8 --embedding_size 8 --eval_batch_size 10 --no_images --quiet)
expect_error "no subcommand" "A subcommand is required"
expect_error "unknown flag" "--bogus" train --bogus 1
expect_error "missing value" "--hidden_size" train --hidden_size
expect_error "not a number" "hidden_size" train --hidden_size abc
expect_error "zero size" "hidden_size must be an integer from 1 to 4096 (got 0)" train --hidden_size 0
expect_error "negative batch" "batch_size must be an integer from 1" train --train_batch_size -3
expect_error "absurd size" "hidden_size must be an integer from 1 to 4096" train --hidden_size 100000000
expect_error "nan learning rate" "learning_rate must be a number" train --learning_rate nan
expect_error "inf learning rate" "learning_rate must be a number" train --learning_rate inf
expect_error "negative learning rate" "learning_rate must be a number" train --learning_rate -1
expect_error "unknown dataset" "dataset must be one of dino, moons, line, circle" train --dataset spiral "${small[@]}"
expect_error "unknown schedule" "--beta_schedule must be one of linear, quadratic, cosine, sigmoid" train --beta_schedule exp
expect_error "unknown embedding" "--time_embedding must be one of" train --time_embedding identity
expect_error "odd sinusoidal size" "embedding_size must be even" train --embedding_size 7
expect_error "zero epochs" "--num_epochs must be an integer from 1" train --num_epochs 0
expect_error "zero timesteps" "num_timesteps must be an integer from 1" train --num_timesteps 0
expect_error "bad betas" "beta_start must not exceed beta_end" train --beta_start 0.5 --beta_end 0.1
expect_error "data and dataset" "excludes" train --data x.csv --dataset moons
expect_error "missing data file" "cannot open points file" train --data /nonexistent.csv "${small[@]}"
expect_error "data is a folder" "cannot read" train --data "$work" "${small[@]}"
printf 'x,y\n1,2\n3,oops\n' >junk.csv
expect_error "junk row" "junk.csv line 3: \"oops\" is not a number" train --data junk.csv "${small[@]}"
printf '1,2,3\n' >wide.csv
expect_error "three columns" "expected 2 columns" train --data wide.csv "${small[@]}"
printf '1,2\nnan,3\n' >nan.csv
expect_error "nan point" "finite" train --data nan.csv "${small[@]}"
: >empty.csv
expect_error "empty file" "has no points" train --data empty.csv "${small[@]}"
expect_error "bad experiment name" "plain folder name" train --experiment_name ../x "${small[@]}"
expect_error "divergence" "training diverged" train --learning_rate 10 --num_points 64 --num_epochs 3 --no_images --experiment_name diverged
[ -f exps/diverged/model.safetensors ] && ok || bad "diverged run did not keep its model"

# --- a small run, outputs inspected ---
if "$bin" train --experiment_name small --dataset moons --num_points 320 --num_epochs 3 \
  --hidden_size 16 --embedding_size 8 --hidden_layers 1 --eval_batch_size 50 \
  --save_images_step 2 --seed 4 >run.log 2>&1; then ok; else bad "small run failed: $(cat run.log)"; fi
for f in model.safetensors loss.npy frames.npy scores.csv images/0000.png images/0001.png; do
  [ -s "exps/small/$f" ] && ok || bad "missing exps/small/$f"
done
[ ! -e exps/small/images/0002.png ] && ok || bad "one image too many (epochs 0 and 2 only)"
python3 - "$work/exps/small" <<'PY' && ok || bad "npy/scores contents"
import struct, sys
d = sys.argv[1]
def npy(path):
    b = open(path, "rb").read()
    assert b[:6] == b"\x93NUMPY", path
    n = struct.unpack("<H", b[8:10])[0]
    header = b[10:10 + n].decode()
    shape = tuple(int(x) for x in header.split("(")[1].split(")")[0].split(",") if x.strip())
    count = 1
    for s in shape: count *= s
    data = struct.unpack("<%df" % count, b[10 + n:])
    return header, shape, data
h, shape, loss = npy(d + "/loss.npy")
assert "'<f4'" in h and shape == (30,), (h, shape)          # 320/32 = 10 steps x 3 epochs
assert all(0 < v < 10 for v in loss), loss
h, shape, frames = npy(d + "/frames.npy")
assert shape == (2, 50, 2), shape                           # epochs 0 and 2
assert all(abs(v) < 100 for v in frames)
rows = open(d + "/scores.csv").read().strip().split("\n")
assert rows[0].startswith("epoch,chamfer") and len(rows) == 3, rows
PY
# the same seed reproduces the run bit for bit
"$bin" train --experiment_name small2 --dataset moons --num_points 320 --num_epochs 3 \
  --hidden_size 16 --embedding_size 8 --hidden_layers 1 --eval_batch_size 50 \
  --save_images_step 2 --seed 4 --no_images --quiet >/dev/null 2>&1
cmp -s exps/small/loss.npy exps/small2/loss.npy && cmp -s exps/small/frames.npy exps/small2/frames.npy \
  && ok || bad "same seed gave different outputs"

# your own points, fewer than a batch
printf 'x,y\n0,0\n1,1\n-1,1\n2,-2\n' >mine.csv
if "$bin" train --data mine.csv --experiment_name mine --num_epochs 2 --hidden_size 8 \
  --embedding_size 8 --eval_batch_size 20 --no_images >mine.log 2>&1; then ok; else bad "own points: $(cat mine.log)"; fi
grep -q "fewer than a batch" mine.log && ok || bad "no note about the tiny data set"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
