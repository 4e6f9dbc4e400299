#!/usr/bin/env bash
# The wasm and browser tests: builds the wasm module and the site, runs the
# module's node tests (API, and parity with the native build in build/), then
# the page's end-to-end tests in chromium, Firefox ESR and WebKitGTK.
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
# The browser suite in each engine (tests/browser_e2e/harness.mjs): chromium
# (Playwright), Firefox ESR (Puppeteer over WebDriver BiDi), WebKitGTK
# (classic WebDriver, under Xvfb). Two runs per engine: three browsers at
# once on two cores would upset the live view's timing test.
for engine in chromium firefox webkit; do
  echo "== browser tests in $engine"
  (cd tests/browser_e2e && TINYDIFF_ENGINE=$engine node --test page.test.mjs views.test.mjs &&
    TINYDIFF_ENGINE=$engine node --test classes.test.mjs threads.test.mjs offline.test.mjs access.test.mjs memorisation.test.mjs)
done
