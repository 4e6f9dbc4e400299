#!/usr/bin/env bash
# The wasm and browser tests: builds the wasm module and the site, runs the
# module's node tests (API, and parity with the native build in build/), then
# the page's end-to-end tests in headless chromium and (a part of them) Firefox ESR.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build_web.sh
if [ ! -x build/tests/tinydiff_parity_dump ]; then
  echo "test_web.sh: build/tests/tinydiff_parity_dump is missing: run the native build first (scripts/test.sh does)" >&2
  exit 1
fi
echo "== the wasm package: npm pack, installed in a fresh folder, its typed example (tsc) run"
tests/node_unit/wasm/package_test.sh
echo "== node unit tests: the wasm API and the page's pure modules"
node --test tests/node_unit/wasm/ tests/node_unit/web/
echo "== browser tests (playwright + chromium)"
# classes and threads after the others: three browsers at once on two cores would upset the live view's timing test
(cd tests/browser_e2e && node --test page.test.mjs views.test.mjs && node --test classes.test.mjs threads.test.mjs)
echo "== browser tests (puppeteer + firefox-esr over WebDriver BiDi)"
(cd tests/browser_e2e && node --test firefox.test.mjs)
