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
expect_error "unknown dataset" "dataset must be one of dino, moons, line, circle, two_moons, dino_in_circle" train --dataset spiral "${small[@]}"
expect_error "unknown schedule" "--beta_schedule must be one of linear, quadratic, cosine, sigmoid" train --beta_schedule exp
expect_error "unknown embedding" "--time_embedding must be one of" train --time_embedding identity
expect_error "odd sinusoidal size" "embedding_size must be even" train --embedding_size 7
expect_error "zero epochs" "--num_epochs must be an integer from 1" train --num_epochs 0
expect_error "zero timesteps" "num_timesteps must be an integer from 1" train --num_timesteps 0
expect_error "bad betas" "--beta_start must not exceed --beta_end" train --beta_start 0.5 --beta_end 0.1
expect_error "data and dataset" "excludes" train --data x.csv --dataset moons
expect_error "missing data file" "cannot open points file" train --data /nonexistent.csv "${small[@]}"
expect_error "data is a folder" "cannot read" train --data "$work" "${small[@]}"
printf 'x,y\n1,2\n3,oops\n' >junk.csv
expect_error "junk row" "junk.csv line 3: \"oops\" is not a number" train --data junk.csv "${small[@]}"
printf '1,2,3,4\n' >wide.csv
expect_error "four columns" "expected 2 columns (x, y) or 3 (x, y, label), found 4" train --data wide.csv "${small[@]}"
printf 'x,y,label\n1,2,0\n3,4,-1\n' >negative.csv
expect_error "negative label" "negative.csv line 3: the label \"-1\" must be a class number from 0 to 7" train --data negative.csv "${small[@]}"
printf '1,2,0\n3,4,8\n' >big.csv
expect_error "label above 7" "big.csv line 2: the label \"8\" must be a class number from 0 to 7" train --data big.csv "${small[@]}"
printf '1,2,0\n3,4,1.5\n' >fraction.csv
expect_error "fractional label" "fraction.csv line 2: the label \"1.5\"" train --data fraction.csv "${small[@]}"
printf 'x,y,label\n1,2,1\n3,4\n' >some.csv
expect_error "labels on some rows" "some.csv line 3: expected 3 columns (x, y, label) as on line 2, found 2: a label on some rows only" train --data some.csv "${small[@]}"
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

# --- presets and the training extras ---
expect_error "unknown preset" "--preset must be one of reference, best, quick" train --preset fast "${small[@]}"
expect_error "bad lr decay" "--lr_decay must be one of constant, cosine" train --lr_decay step "${small[@]}"
expect_error "ema of 1" "ema_decay must be a number from 0 to" train --ema_decay 1 "${small[@]}"
expect_error "final fraction" "lr_final_fraction must be a number from 0 to 1" train --lr_final_fraction 2 "${small[@]}"
if "$bin" train --preset best --experiment_name best --dataset line --num_points 320 --num_epochs 2 \
  --hidden_size 16 --embedding_size 8 --eval_batch_size 50 --no_images >best.log 2>&1; then ok; else bad "preset best: $(cat best.log)"; fi
grep -q "preset best" best.log && ok || bad "preset best is not announced"
python3 - exps/best/model.safetensors <<'PY' && ok || bad "preset best: the model file lacks its schedule"
import json, struct, sys
raw = open(sys.argv[1], "rb").read()
meta = json.loads(raw[8:8 + struct.unpack("<Q", raw[:8])[0]])["__metadata__"]
assert meta["num_timesteps"] == "100" and meta["beta_schedule"] == "quadratic", meta
assert float(meta["beta_end"]) == 0.2 and meta["hidden_size"] == "16", meta  # a given flag wins
PY

"$bin" eval --model exps/best/model.safetensors --dataset line --num_points 320 --n 100 >eval.log 2>&1
grep -q "spread: sample std [0-9.]* (x) and [0-9.]* (y) of the data's; the bounding box's 0.5 x 0.5 corners [0-9]*% as full" eval.log \
  && ok || bad "eval prints no spread: $(cat eval.log)"
# A noise-prediction model's NLL: along its probability-flow ODE.
grep -qE "^NLL -?[0-9.]+ nats a point \(exact, by the change of variables along the probability-flow ODE over 100 RK4 steps, on 320 data points\)$" eval.log \
  && ok || bad "eval's NLL of a noise-prediction model: $(cat eval.log)"

# --- sample ---
model=exps/best/model.safetensors
for sampler in "ddpm" "ddim --steps 10 --eta 1" "dpm-solver --steps 10"; do
  # shellcheck disable=SC2086
  if "$bin" sample --model $model --n 64 --sampler $sampler --out "s-${sampler%% *}.csv" >/dev/null 2>&1 &&
     [ "$(grep -c , "s-${sampler%% *}.csv")" -ge 64 ]; then ok; else bad "sample --sampler $sampler"; fi
done
cmp -s s-ddim.csv s-dpm-solver.csv && bad "dpm-solver gave DDIM's samples" || ok
"$bin" sample --model $model --n 64 --sampler dpm-solver --steps 10 --out again.csv >again.log 2>&1
cmp -s s-dpm-solver.csv again.csv && ok || bad "dpm-solver at eta 0 is not deterministic"
grep -q "with dpm-solver (10 steps)" again.log && ok || bad "sample reports the wrong step count: $(cat again.log)"
"$bin" sample --model $model --n 8 --out all-steps.csv >all-steps.log 2>&1
grep -q "with ddpm (100 steps)" all-steps.log && ok || bad "ddpm reports the wrong step count: $(cat all-steps.log)"
"$bin" sample --model $model --n 10 --out s.npy >/dev/null 2>&1 && [ "$(head -c 6 s.npy | tail -c 5)" = "NUMPY" ] && ok || bad "sample to .npy"
expect_error "unknown sampler" "sampler must be one of ddpm, ddim, dpm-solver, euler, heun" sample --model $model --sampler lms --out x.csv
expect_error "a flow sampler on an eps model" "samples with ddpm, ddim, dpm-solver (got sampler euler)" sample --model $model --sampler euler --out x.csv

# --- flow matching ---
if "$bin" train --objective flow --experiment_name flow --dataset moons --num_points 320 --num_epochs 2 \
  --hidden_size 16 --embedding_size 8 --hidden_layers 1 --eval_batch_size 50 --no_images --quiet >flow.log 2>&1; then ok; else bad "train --objective flow: $(cat flow.log)"; fi
flow=exps/flow/model.safetensors
"$bin" sample --model $flow --n 20 --out flow-default.csv >flow-sample.log 2>&1 && grep -q "with euler (50 steps)" flow-sample.log \
  && ok || bad "a flow model samples with euler by default: $(cat flow-sample.log)"
"$bin" sample --model $flow --n 20 --sampler heun --steps 10 --out flow-heun.csv >flow-sample.log 2>&1 && grep -q "with heun (10 steps)" flow-sample.log \
  && ok || bad "heun reports its network calls: $(cat flow-sample.log)"
expect_error "an eps sampler on a flow model" "samples with euler, heun (got sampler ddim)" sample --model $flow --sampler ddim --out x.csv
"$bin" eval --model $flow --dataset moons --num_points 320 --n 50 --steps-sweep >flow-sweep.log 2>&1 && grep -q "^heun  *ideal" flow-sweep.log \
  && ok || bad "flow sweep: $(cat flow-sweep.log)"
"$bin" animate --model $flow --kind forward --dataset moons --num_points 100 --n 30 --size 64 --out flow.gif >/dev/null 2>&1 && ok || bad "animate a flow model"
# A flow model's sweep: 1, 2, 4, 8, 16 and 100 steps, then the same rows' W2, then its straightness.
grep -qE "^sampler +denoiser +1 +2 +4 +8 +16 +100$" flow-sweep.log && grep -q "^exact 2-Wasserstein distance to the data" flow-sweep.log \
  && grep -qE "^heun +network( +[0-9.]+){6}$" flow-sweep.log && grep -qE "^straightness of the network's paths \(100 Euler steps\): [0-9.]+$" flow-sweep.log \
  && ok || bad "flow sweep's steps, W2 and straightness: $(cat flow-sweep.log)"
"$bin" eval --model $flow --dataset moons --num_points 320 --n 50 >flow-eval.log 2>&1 \
  && grep -qE "^W2 [0-9.]+ \(the exact 2-Wasserstein distance, at most 2000 samples and points\); straightness [0-9.]+ \(100 Euler steps\)$" flow-eval.log \
  && grep -qE "^NLL -?[0-9.]+ nats a point \(exact, by the change of variables along the flow over 100 RK4 steps, on 320 data points\)$" flow-eval.log \
  && ok || bad "eval's W2, straightness and NLL: $(cat flow-eval.log)"
# --- OT coupling and reflow ---
expect_error "ot for noise prediction" "--coupling ot pairs noise with data for the flow objective: set --objective to flow" train --coupling ot --num_epochs 1
expect_error "an unknown coupling" "--coupling must be one of independent, ot" train --objective flow --coupling sinkhorn --num_epochs 1
if "$bin" train --objective flow --coupling ot --experiment_name flow_ot --dataset moons --num_points 320 --num_epochs 2 \
  --hidden_size 16 --embedding_size 8 --hidden_layers 1 --eval_batch_size 50 --no_images --quiet >flow-ot.log 2>&1; then ok; else bad "train --coupling ot: $(cat flow-ot.log)"; fi
"$bin" reflow --model exps/flow_ot/model.safetensors --dataset moons --num_points 320 --pairs 200 --steps 10 --train_steps 50 \
  --out reflowed.safetensors >reflow.log 2>&1 && grep -q "^drew 200 pairs with heun (10 steps)" reflow.log \
  && [ "$(grep -cE '^(original|reflowed)( +[0-9.]+){6}$' reflow.log)" -eq 2 ] && [ -s reflowed.safetensors ] \
  && ok || bad "reflow: $(cat reflow.log)"
expect_error "reflow of a noise model" "reflow takes a flow model" reflow --model $model --pairs 10 --out r.safetensors
# --- classes and guidance ---
# --- threads: a run repeats exactly for a thread count ---
expect_error "threads out of range" "--threads: Value 99 not in range 0 to 64" train --threads 99
threads_run=(train --num_epochs 2 --num_points 400 --train_batch_size 64 --hidden_size 16 --embedding_size 8 \
  --eval_batch_size 20 --no_images --quiet)
"$bin" "${threads_run[@]}" --threads 2 --experiment_name t2a >/dev/null 2>&1 &&
  "$bin" "${threads_run[@]}" --threads 2 --experiment_name t2b >/dev/null 2>&1 &&
  "$bin" "${threads_run[@]}" --threads 0 --experiment_name t0 >/dev/null 2>&1 &&
  cmp -s exps/t2a/model.safetensors exps/t2b/model.safetensors && ok || bad "two runs on 2 threads give the same model"

/usr/bin/python3 - <<'PY'
import math, random
random.seed(1)
with open("two.csv", "w") as f:
    f.write("x,y,label\n")
    for i in range(300):
        f.write(f"{-3 + 0.1 * random.random()},{6 * random.random() - 3},0\n")  # a bar on the left: class 0
        f.write(f"{2 + 0.1 * random.random()},{6 * random.random() - 3},1\n")   # one on the right: class 1
PY
if "$bin" train --data two.csv --experiment_name two --num_epochs 150 --hidden_size 32 --embedding_size 16 --hidden_layers 2 \
  --class_dropout 0.2 --eval_batch_size 50 --no_images --quiet >two.log 2>&1; then ok; else bad "train on labelled points: $(cat two.log)"; fi
two=exps/two/model.safetensors
"$bin" train --data two.csv --experiment_name two-banner --num_epochs 1 --hidden_size 8 --embedding_size 8 --hidden_layers 1 \
  --eval_batch_size 20 --no_images 2>&1 | grep -q "600 points in 2 classes" && ok || bad "train says the data has classes"
"$bin" sample --model $two --class 1 --guidance 3 --n 200 --out two-1.csv >two-sample.log 2>&1 \
  && grep -q "class 1, guidance 3" two-sample.log && [ "$(head -1 two-1.csv)" = "x,y,label" ] && ok || bad "sample --class 1: $(cat two-sample.log)"
/usr/bin/python3 - <<'PY' && ok || bad "class 1 samples lie on the right bar"
rows = [l.split(",") for l in open("two-1.csv").read().split()[1:]]
assert all(r[2] == "1" for r in rows), "every sample is labelled class 1"
right = sum(float(r[0]) > 0 for r in rows) / len(rows)
assert right >= 0.9, right  # plumbing; the quality bar is test_quality.cpp's
PY
"$bin" sample --model $two --n 100 --out two-all.csv >/dev/null 2>&1 && grep -q ",0$" two-all.csv && grep -q ",1$" two-all.csv \
  && ok || bad "sample --class all draws both classes"
"$bin" eval --model $two --data two.csv --n 100 --guidance 3 >two-eval.log 2>&1 && grep -q "^class 0 (guidance 3)" two-eval.log \
  && grep -q "^class 1 (guidance 3)" two-eval.log && ok || bad "eval per class: $(cat two-eval.log)"
expect_error "class out of range" "class must be from 0 to 1, or all (got 2)" sample --model $two --class 2 --out x.csv
expect_error "class not a number" "--class must be a class number from 0 to 7 or all (got \"red\")" sample --model $two --class red --out x.csv
expect_error "negative guidance" "--guidance must be a number from 0 to 100" sample --model $two --guidance -1 --out x.csv
expect_error "a class of an unconditional model" "this model has no classes" sample --model $model --class 0 --out x.csv
expect_error "eval with a class" "eval reports every class" eval --model $two --data two.csv --class 1
expect_error "too many steps" "steps must be an integer from 1 to 100" sample --model $model --sampler dpm-solver --steps 101 --out x.csv
expect_error "ddpm with steps" "use ddim or dpm-solver for fewer" sample --model $model --steps 10 --out x.csv
expect_error "missing model" "cannot open" sample --model nowhere.safetensors --out x.csv
expect_error "bad output kind" ".csv" sample --model $model --out x.txt

# --- ablate ---
tiny=(--num_epochs 3 --checkpoint_every 2 --num_points 200 --eval_batch_size 40 --quiet --out_dir abl)
expect_error "ablate without a sweep" "--sweep is required" ablate
expect_error "unknown sweep" "--sweep must be one of all, learning_rate" ablate --sweep colour "${tiny[@]}"
expect_error "values for two sweeps" "--values needs exactly one --sweep" ablate --sweep hidden_size,hidden_layers --values 8 "${tiny[@]}"
expect_error "bad value" "--values of the hidden_size sweep: hidden_size must be an integer (got \"big\")" ablate --sweep hidden_size --values 8,big "${tiny[@]}"
expect_error "bad value range" "hidden_size must be an integer from 1 to 4096 (got 0)" ablate --sweep hidden_size --values 0 "${tiny[@]}"
expect_error "bad schedule value" "must be one of linear, quadratic, cosine, sigmoid" ablate --sweep beta_schedule --values exp "${tiny[@]}"
expect_error "zero checkpoint step" "--checkpoint_every must be a positive integer" ablate --sweep dataset --checkpoint_every 0
if "$bin" ablate --sweep hidden_size --values 8,16 "${tiny[@]}" --jobs 2 >abl.log 2>&1; then ok; else bad "ablate: $(cat abl.log)"; fi
grep -q "hidden_size:  8 [0-9.]*  16 [0-9.]*" abl.log && ok || bad "ablate summary: $(cat abl.log)"
for f in grid.svg grid.png scores.csv scores.md; do
  [ -s abl/hidden_size/$f ] && ok || bad "ablate wrote no $f"
done
python3 - abl/hidden_size <<'PY' && ok || bad "ablate outputs are wrong"
import csv, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(d + "/scores.csv")))
assert [(r["value"], r["epoch"]) for r in rows] == [("8", "0"), ("8", "2"), ("16", "0"), ("16", "2")], rows
assert all(0 < float(r["chamfer"]) < 50 and 0 <= float(r["precision"]) <= 1 for r in rows), rows
svg = open(d + "/grid.svg").read()
assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>"), svg[:80]
for text in ("Hidden size (hidden_size)", "hidden_size 8", "hidden_size 16", "epoch 0", "epoch 2"):
    assert text in svg, text
assert svg.count("<path") == 4, svg.count("<path")
png = open(d + "/grid.png", "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n"
md = open(d + "/scores.md").read().splitlines()
assert md[0].startswith("| hidden_size | 0 | 2 | precision") and len(md) == 4, md
PY
# a diverging run is marked, the others still drawn
if "$bin" ablate --sweep learning_rate --values 10,1e-3 "${tiny[@]}" >div.log 2>&1; then ok; else bad "ablate with a diverging run: $(cat div.log)"; fi
grep -q "10 diverged" div.log && ok || bad "diverged run not reported: $(cat div.log)"
grep -q ">diverged<" abl/learning_rate/grid.svg && ok || bad "diverged cells not marked"

# --- eval --steps-sweep ---
"$bin" eval --model $model --dataset line --num_points 320 --n 40 --steps-sweep >sweep.log 2>&1 || bad "steps sweep: $(cat sweep.log)"
grep -q "^ddpm  *network  *- " sweep.log && ok || bad "sweep lacks the ddpm row: $(cat sweep.log)"
grep -qE "^dpm-solver ideal +[0-9.]+ \( *[0-9]+%\)" sweep.log && ok || bad "sweep lacks the ideal denoiser: $(cat sweep.log)"
# Six rows in the Chamfer table, and the same six in the W2 table.
[ "$(grep -cE '^(ddpm|ddim|dpm-solver) ' sweep.log)" -eq 12 ] && grep -q "^exact 2-Wasserstein distance to the data" sweep.log \
  && ok || bad "sweep rows: $(cat sweep.log)"

# --- memorise ---
expect_error "memorise size" "--sizes must be an integer from 8 to" memorise --sizes 4,16 --steps 10
expect_error "memorise dataset" "--dataset must be one of dino, moons" memorise --dataset stars --steps 10
expect_error "memorise margin" "--margin must lie in (0, 1)" memorise --margin 2 --steps 10
if "$bin" memorise --dataset moons --sizes 8,32 --steps 400 --evaluations 4 --samples 200 --fresh 300 --hidden_size 16 \
     --seeds 2 --out_dir mem --quiet >mem.log 2>&1; then ok; else bad "memorise: $(cat mem.log)"; fi
# The table: a row per seed and size, each with tau_gen and tau_fall (steps), tau_mem (a step or never) and the scores.
[ "$(grep -cE '^[01] +(8|32) +[0-9]+ +[0-9]+ +([0-9]+|never) +[01]\.[0-9]{3} +[01]\.[0-9]{3} +-?[01]\.[0-9]{3}' mem.log)" -eq 4 ] && ok || bad "memorise table: $(cat mem.log)"
grep -q "^tau_mem ~ n^b: b = " mem.log && ok || bad "memorise fit line: $(cat mem.log)"
# 2 seeds x 2 sizes x (the untrained model + 4 evaluations), the JSON's runs and the figure.
[ "$(tail -n +2 mem/memorise.csv | wc -l)" -eq 20 ] && ok || bad "memorise.csv rows: $(wc -l <mem/memorise.csv)"
/usr/bin/python3 -c "import json; s = json.load(open('mem/summary.json')); assert len(s['runs']) == 4 and len(s['fits']) == 2 and all(r['tau_fall'] for r in s['runs']), s" \
  && ok || bad "summary.json: $(cat mem/summary.json)"
# The figure is well-formed XML with a copy curve and a base-rate curve per size (of the first seed).
/usr/bin/python3 -c "import xml.etree.ElementTree as E; r = E.parse('mem/copy_share.svg').getroot(); \
assert len(r.findall('.//{http://www.w3.org/2000/svg}polyline')) == 4" && ok || bad "copy_share.svg: $(head -c 300 mem/copy_share.svg)"
# --- train --train_size: a seeded subset, the rest held out for the copies' base rate ---
expect_error "train size" "--train_size must be 0 (all the points) or at least 8 (got 5)" train --train_size 5 --num_epochs 1
if "$bin" train --dataset moons --num_points 400 --train_size 16 --num_epochs 2 --hidden_size 16 --no_images \
     --out_dir subset --quiet >subset.log 2>&1; then ok; else bad "train --train_size: $(cat subset.log)"; fi
grep -qE "^copies of the 16 training points: [0-9.]+% of samples \(held-out points: [0-9.]+%, the base rate\)" subset.log \
  && ok || bad "train --train_size lacks its copies line: $(cat subset.log)"
# --- animate ---
for kind in forward reverse; do
  if "$bin" animate --model $model --kind $kind --dataset moons --num_points 200 --n 80 --size 96 --out "$kind.gif" >anim.log 2>&1 &&
     [ "$(head -c 6 "$kind.gif")" = "GIF89a" ]; then ok; else bad "animate --kind $kind: $(cat anim.log)"; fi
done
/usr/bin/python3 - <<'PY' && ok || bad "the GIFs do not hold one frame a step"
data = open("reverse.gif", "rb").read()
assert data.count(b"\x21\xf9\x04") == 101, data.count(b"\x21\xf9\x04")  # T = 100 steps + the noise
assert data.endswith(b"\x3b")
PY
"$bin" animate --model $model --sampler ddim --steps 5 --denoiser ideal --n 20 --size 64 --out ideal.gif >/dev/null 2>&1 && ok || bad "animate with the ideal denoiser"
expect_error "animate kind" "--kind must be one of forward, reverse" animate --model $model --kind sideways --out a.gif
expect_error "animate out" "--out must name a .gif file" animate --model $model --out a.png
expect_error "animate fps" "--fps must be an integer from 1 to 50" animate --model $model --fps 0 --out a.gif
expect_error "unknown denoiser" "--denoiser must be one of network, ideal" sample --model $model --denoiser oracle --out x.csv
"$bin" sample --model $model --denoiser ideal --dataset line --num_points 200 --n 30 --out ideal.csv >/dev/null 2>&1 \
  && [ "$(grep -c , ideal.csv)" -ge 30 ] && ok || bad "sample with the ideal denoiser of a preset"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
