#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time on
# its corpus (tests/fuzz/corpus/*); a crash fails, leaving the input that
# caused it in build-fuzz/ (turn it into a regression test).
# usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
  -DTINYDIFF_FUZZ=ON -DTINYDIFF_BUILD_TESTS=OFF -DTINYDIFF_BUILD_CLI=OFF -DTINYDIFF_PORTABLE=ON >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_points_csv fuzz_model_file >/dev/null
for pair in "fuzz_points_csv csv" "fuzz_model_file model"; do
  set -- $pair
  work=build-fuzz/corpus-$2
  mkdir -p "$work"
  echo "== $1: ${seconds}s"
  if ! (cd build-fuzz && "./tests/fuzz/$1" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
      -print_final_stats=1 "corpus-$2" "../tests/fuzz/corpus/$2" >"fuzz-$1.log" 2>&1); then
    tail -40 "build-fuzz/fuzz-$1.log"
    echo "fuzz: $1 failed: the crashing input is in build-fuzz/ (crash-*)" >&2
    exit 1
  fi
  grep -E "^stat::(number_of_executed_units|peak_rss_mb)" "build-fuzz/fuzz-$1.log"
done
