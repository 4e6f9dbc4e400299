#!/usr/bin/env bash
# The wasm and browser tests: builds the wasm module and the site, runs the
# module's node tests (API, and parity with the native build in build/), then
# the page's end-to-end tests in headless chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build_web.sh
echo "== wasm module and page-logic tests (node)"
if [ ! -x build/tests/tinydiff_parity_dump ]; then
  echo "test_web.sh: build/tests/tinydiff_parity_dump is missing: run the native build first (scripts/test.sh does)" >&2
  exit 1
fi
node --test tests/wasm/ tests/web/
echo "== browser tests (playwright + chromium)"
(cd tests/browser && node --test page.test.mjs)
