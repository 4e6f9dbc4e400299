#!/usr/bin/env bash
# Reproduces docs/ablations/: the reference's eight ablation sweeps and the
# reference-vs-best comparison on dino and line (about 10 minutes on 2 cores).
# usage: bash scripts/ablations.sh [OUT_DIR]   (default docs/ablations)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/docs/ablations}"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j"$(nproc)" --target tinydiff_cli >/dev/null
tinydiff="$root/build/tinydiff"
"$tinydiff" ablate --sweep all --out_dir "$out"
for dataset in dino line; do
  "$tinydiff" ablate --sweep preset --dataset "$dataset" --out_dir "$out/$dataset"
done
