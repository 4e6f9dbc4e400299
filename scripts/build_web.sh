#!/usr/bin/env bash
# Builds the wasm module (Emscripten) and assembles the static site in
# build-wasm/site: web/ plus tinydiff.js and tinydiff.wasm, and the page's
# front-end libraries from npm (web/package-lock.json) in site/vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}  # em++ needs acorn from Debian's node modules
jobs=$(nproc 2>/dev/null || echo 2)
node_bin=$(command -v node || command -v nodejs)
emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CROSSCOMPILING_EMULATOR="$node_bin" >/dev/null
cmake --build build-wasm -j"$jobs"
# The threaded build (tinydiff-threads.*), which the page loads when it is cross-origin isolated.
emcmake cmake -S . -B build-wasm-threads -DCMAKE_BUILD_TYPE=Release -DTINYDIFF_WASM_THREADS=ON \
  -DCMAKE_CROSSCOMPILING_EMULATOR="$node_bin" >/dev/null
cmake --build build-wasm-threads -j"$jobs"
if [ ! -f web/node_modules/gifenc/dist/gifenc.esm.js ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
site=build-wasm/site
rm -rf "$site"
mkdir -p "$site/vendor"
tar -C web --exclude=node_modules --exclude=package.json --exclude=package-lock.json -cf - . | tar -C "$site" -xf -
cp build-wasm/wasm_bindings/tinydiff.js build-wasm/wasm_bindings/tinydiff.wasm "$site/"
cp build-wasm-threads/wasm_bindings/tinydiff-threads.js build-wasm-threads/wasm_bindings/tinydiff-threads.wasm \
  build-wasm-threads/wasm_bindings/tinydiff-threads.worker.js "$site/"
# gifenc (MIT): the GIF encoder of the animation export, with its licence.
cp web/node_modules/gifenc/dist/gifenc.esm.js "$site/vendor/gifenc.js"
cp web/node_modules/gifenc/LICENSE.md "$site/vendor/gifenc.LICENSE.md"
# The page's module graph as modulepreload links: one round trip instead of one per level of imports.
node scripts/preload_modules.mjs "$site"
# The app icons of the web app manifest, drawn from the dino's points.
node scripts/make_icons.mjs "$site"
# The service worker's list of files kept offline and the site's version: after every step that writes files.
node scripts/offline_manifest.mjs "$site"
# Precompressed copies (brotli, gzip) that scripts/serve.mjs sends to browsers that accept them.
node scripts/compress_site.mjs "$site"
echo "site: $site"
