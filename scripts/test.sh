#!/usr/bin/env bash
# Every test of tinydiff: installs what is missing, builds natively and runs
# the GoogleTest suite, the CLI checks, the PyTorch interop check and the
# reference-quality run (ctest); the unit tests of the portable build (no
# -march=native); the same suite under ASan + UBSan; the
# libFuzzer targets for a bounded time (TINYDIFF_FUZZ_SECONDS, default 30
# each); then builds the wasm module and runs its node tests and the
# headless-browser tests of the page (chromium, Firefox ESR, WebKitGTK). usage: scripts/test.sh [--native-only]
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

echo "== portable build (-DTINYDIFF_PORTABLE=ON: baseline x86-64, SSE2 kernels, no FMA): unit tests"
cmake -S . -B build-portable -DCMAKE_BUILD_TYPE=Release -DTINYDIFF_PORTABLE=ON >/dev/null
cmake --build build-portable -j"$jobs" --target tinydiff_tests
(cd build-portable && ctest --output-on-failure -j"$jobs" -L unit)

echo "== native tests under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTINYDIFF_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs" --target tinydiff_tests tinydiff_cli tinydiff_predict_dump
(cd build-asan && ctest --output-on-failure -j"$jobs" -L "unit|cli|interop")

echo "== fuzzing the parsers (bounded)"
scripts/fuzz.sh "${TINYDIFF_FUZZ_SECONDS:-30}"

scripts/test_web.sh
