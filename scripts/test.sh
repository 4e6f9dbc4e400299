#!/usr/bin/env bash
# Every test of tinydiff: installs what is missing, builds natively and runs
# the GoogleTest suite, the CLI checks and the reference-quality run (ctest);
# then builds the wasm module and runs its node tests and the headless-browser
# tests of the page. usage: scripts/test.sh [--native-only]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

if [ "${1:-}" = "--native-only" ]; then
  scripts/setup.sh native
else
  scripts/setup.sh
fi

echo "== native build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"
echo "== native tests (ctest)"
(cd build && ctest --output-on-failure -j"$jobs")

[ "${1:-}" = "--native-only" ] && exit 0
if [ -x scripts/test_web.sh ]; then
  scripts/test_web.sh
fi
