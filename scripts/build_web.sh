#!/usr/bin/env bash
# Builds the wasm module (Emscripten) and assembles the static site in
# build-wasm/site: web/ plus tinydiff.js and tinydiff.wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}  # em++ needs acorn from Debian's node modules
jobs=$(nproc 2>/dev/null || echo 2)
node_bin=$(command -v node || command -v nodejs)
emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CROSSCOMPILING_EMULATOR="$node_bin" >/dev/null
cmake --build build-wasm -j"$jobs"
site=build-wasm/site
rm -rf "$site"
mkdir -p "$site"
cp -r web/. "$site/"
cp build-wasm/wasm_bindings/tinydiff.js build-wasm/wasm_bindings/tinydiff.wasm "$site/"
echo "site: $site"
