#!/usr/bin/env bash
# The main job: installs what is missing, builds the wasm module and the page,
# and serves it locally, printing the URL. usage: scripts/serve.sh [--port N]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh wasm
scripts/build_web.sh
exec node scripts/serve.mjs build-wasm/site "$@"
