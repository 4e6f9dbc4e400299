#!/usr/bin/env bash
# The measurements behind the page's "quick" recipe (docs/ablations.md,
# "Learning in seconds"): each configuration trained on the dino natively
# and scored at the page's marks (seconds after Train), the seconds turned
# into steps by the page's speed (bench/wallclock_recipe.cpp). Rows take the
# page's measured steps/s for their network, or scale the best preset's by
# their native speed. Prints a Markdown table; about 8 minutes on 2 cores.
# "Shown" is 400 points, the live view's count when the table was made (it
# shows 1000 now: bench/live_view_points.cpp).
# usage: bash scripts/wallclock_study.sh [BEST_PAGE_STEPS_PER_S 660] [QUICK_PAGE_STEPS_PER_S 2400]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
best_rate=${1:-660}
quick_rate=${2:-2400}
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DTINYDIFF_BUILD_BENCH=ON >/dev/null
cmake --build "$root/build" -j"$(nproc)" --target tinydiff_wallclock_recipe >/dev/null
bin="$root/build/bench/tinydiff_wallclock_recipe"
small="hidden_size=64,embedding_size=32"
# name | page steps/s (empty: scaled from best's) | config over the best preset
configs=(
  "best (the page's recipe until now)|$best_rate|"
  "best, lr 3e-3, warm-up 200||learning_rate=3e-3,lr_warmup_steps=200"
  "best, lr 5e-4||learning_rate=5e-4"
  "best, weight average 0.995||ema_decay=0.995"
  "best, decay over 5,000 steps||lr_decay_steps=5000"
  "best, batch 64, lr 1.5e-3||batch_size=64,learning_rate=1.5e-3"
  "best, flow matching (t = u^2)||objective=flow,flow_time=squared"
  "hidden 96||hidden_size=96"
  "hidden 64||hidden_size=64"
  "hidden 64, embedding 64||hidden_size=64,embedding_size=64"
  "hidden 64, embedding 32|$quick_rate|$small"
  "hidden 64, embedding 32, lr 1.5e-3, warm-up 100|$quick_rate|$small,learning_rate=1.5e-3,lr_warmup_steps=100"
  "quick: hidden 64, embedding 32, lr 2e-3, warm-up 200, decay over 25,000|$quick_rate|$small,learning_rate=2e-3,lr_warmup_steps=200,lr_decay_steps=25000"
  "quick with lr 1e-3|$quick_rate|$small,lr_decay_steps=25000"
  "quick with batch 64 (decay over 12,500)||$small,batch_size=64,learning_rate=2e-3,lr_warmup_steps=200,lr_decay_steps=12500"
  "quick with hidden 48||hidden_size=48,embedding_size=32,learning_rate=2e-3,lr_warmup_steps=200,lr_decay_steps=25000"
)
echo "| configuration | page steps/s | 1 s | 3 s | 10 s | 30 s | 100 s |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for i in "${!configs[@]}"; do
  IFS='|' read -r name rate config <<<"${configs[$i]}"
  printf '%s\0%s\0%s\0%s\0' "$i" "$name" "$rate" "$config"
done | xargs -0 -n4 -P"$(nproc)" sh -c '
  if [ -n "$2" ]; then rate="--own-steps-per-s $2"; else rate=""; fi
  printf "%s %s\n" "$0" "$("'"$bin"'" --name "$1" --config "$3" --page-steps-per-s '"$best_rate"' $rate --seeds 2 --marks 1,3,10,30,100 --shown-points 400)"' |
  sort -n | cut -d" " -f2-
echo
"$bin" --name floor --marks 1,3,10,30,100
echo
echo "Each cell: shown (400 DPM-Solver++ samples, 25 steps, as the live view) / fresh (1000 DDPM samples) Chamfer distance to the 8000 points, mean of 2 seeds."
