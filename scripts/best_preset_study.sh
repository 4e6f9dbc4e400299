#!/usr/bin/env bash
# The measurements behind the "best" preset (docs/ablations.md): each
# configuration trained for the reference's 200 epochs on dino and on line
# (seed 0), then scored over 4 draws of 1000 samples by `tinydiff eval`.
# Prints a Markdown table. About 4 minutes on 2 cores.
# usage: bash scripts/best_preset_study.sh [WORK_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j"$(nproc)" --target tinydiff_cli >/dev/null
tinydiff="$root/build/tinydiff"

configs=(
  "reference|"
  "reference + weight average + lr decay|--ema_decay 0.999 --lr_decay cosine --lr_final_fraction 0.1"
  "linear 1e-4..0.2 (reaches noise)|--beta_end 0.2"
  "cosine (reaches noise)|--beta_schedule cosine"
  "quadratic 1e-4..0.4|--beta_schedule quadratic --beta_end 0.4"
  "quadratic 1e-4..0.4 + weight average|--beta_schedule quadratic --beta_end 0.4 --ema_decay 0.999"
  "quadratic 1e-4..0.4 + weight average + lr decay|--beta_schedule quadratic --beta_end 0.4 --ema_decay 0.999 --lr_decay cosine --lr_final_fraction 0.1"
  "T=200 linear 1e-4..0.05|--num_timesteps 200 --beta_end 0.05"
  "T=100 quadratic 1e-4..0.2|--num_timesteps 100 --beta_schedule quadratic --beta_end 0.2"
  "T=100 quadratic 1e-4..0.2 + weight average|--num_timesteps 100 --beta_schedule quadratic --beta_end 0.2 --ema_decay 0.999"
  "best (T=100 quadratic 1e-4..0.2 + weight average + lr decay)|--preset best"
)

run_one() {  # index dataset
  local i=$1 dataset=$2 flags=${configs[$1]#*|}
  # shellcheck disable=SC2086
  "$tinydiff" train --dataset "$dataset" --experiment_name "c$i-$dataset" --out_dir "$work" --no_images --quiet $flags >/dev/null
  "$tinydiff" eval --model "$work/c$i-$dataset/model.safetensors" --dataset "$dataset" --draws 4 --seed 100 >"$work/c$i-$dataset.txt"
}
export -f run_one
export tinydiff work
declare -p configs >"$work/configs.sh"
for i in "${!configs[@]}"; do for d in dino line; do echo "$i $d"; done; done |
  xargs -P "$(nproc)" -n 2 bash -c 'source "$work/configs.sh"; run_one "$0" "$1"'

field() { sed -nE "s/$2/\1/p" "$1" | head -1; }
echo "| configuration | ᾱ at T | dino distance | dino std x / y | line std y | line corners |"
echo "|---|---:|---:|---:|---:|---:|"
for i in "${!configs[@]}"; do
  dino="$work/c$i-dino.txt" line="$work/c$i-line.txt"
  abar=$(python3 - "$work/c$i-dino/model.safetensors" <<'PY'
import json, math, struct, sys
raw = open(sys.argv[1], "rb").read()
m = json.loads(raw[8:8 + struct.unpack("<Q", raw[:8])[0]])["__metadata__"]
T, kind, b0, b1 = int(m["num_timesteps"]), m["beta_schedule"], float(m["beta_start"]), float(m["beta_end"])
if kind == "linear": betas = [b0 + (b1 - b0) * t / (T - 1) for t in range(T)]
elif kind == "quadratic": betas = [(b0 ** .5 + (b1 ** .5 - b0 ** .5) * t / (T - 1)) ** 2 for t in range(T)]
else:
    f = lambda t: math.cos((t / T + 0.008) / 1.008 * math.pi / 2) ** 2
    betas = [min(1 - f(t + 1) / f(t), 0.999) for t in range(T)]
a = 1.0
for b in betas: a *= 1 - b
print(f"{a:.2g}")
PY
)
  printf '| %s | %s | %s | %s / %s | %s | %s |\n' "${configs[$i]%%|*}" "$abar" \
    "$(field "$dino" '^chamfer ([0-9.]+).*')" \
    "$(field "$dino" '^spread: sample std ([0-9.]+) \(x\).*')" "$(field "$dino" '.* and ([0-9.]+) \(y\).*')" \
    "$(field "$line" '.* and ([0-9.]+) \(y\).*')" "$(field "$line" '.*corners ([0-9]+)% as full.*')%"
done
