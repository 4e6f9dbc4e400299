#!/usr/bin/env bash
# The wasm build as an npm package: `npm pack` in build-wasm/wasm_bindings,
# installed with npm into a fresh folder, where the typed example
# (wasm_bindings/example/train_and_sample.ts) type-checks against the
# package's declarations (tsc --strict) and runs under node. Then the same
# tarball is unpacked into tests/node_modules/tinydiff, where the node tests
# import "tinydiff" as any user would.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
package_dir=$root/build-wasm/wasm_bindings
tsc=$root/tests/node_modules/.bin/tsc
[ -x "$tsc" ] || { echo "package_test.sh: $tsc is missing: run scripts/setup.sh browser" >&2; exit 1; }
out=$root/build-wasm/package
rm -rf "$out" && mkdir -p "$out"
tarball=$out/$(cd "$package_dir" && npm pack --silent --pack-destination "$out" | tail -n 1)
echo "package: $tarball ($(tar tzf "$tarball" | sed 's|^package/||' | tr '\n' ' '))"

fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
cd "$fresh"
printf '{ "name": "uses-tinydiff", "private": true, "type": "module" }\n' >package.json
npm install --no-audit --no-fund --loglevel=error "$tarball" >/dev/null
cp "$root/wasm_bindings/example/train_and_sample.ts" .
"$tsc" --strict --module nodenext --moduleResolution nodenext --target es2022 train_and_sample.ts
node train_and_sample.js

installed=$root/tests/node_modules/tinydiff
rm -rf "$installed" && mkdir -p "$installed"
tar xzf "$tarball" -C "$installed" --strip-components=1
