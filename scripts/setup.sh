#!/usr/bin/env bash
# Installs what tinydiff needs on Debian 12 / Ubuntu (idempotent; fast when
# everything is there). usage: scripts/setup.sh [native] [wasm] [browser]
#   native  : compiler, CMake, Eigen, xsimd, GoogleTest, Google Benchmark, CLI11, json, stb, giflib,
#             python3-torch (the PyTorch interop test and the benchmark baseline),
#             clang-14 and its runtimes (the libFuzzer targets)
#   wasm    : Emscripten and Node.js (the browser build and its node tests)
#   browser : Debian's Chromium, Firefox ESR and WebKitGTK (webkit2gtk-driver: WebKitWebDriver and
#             MiniBrowser, run under xvfb), and from npm (tests/package-lock.json) playwright-core
#             (drives chromium), puppeteer-core (drives Firefox over WebDriver BiDi) and typescript
#             (checks the wasm package's types); WebKitGTK is driven by the tests' own classic
#             WebDriver client
# With no argument: all three.
set -euo pipefail
cd "$(dirname "$0")/.."

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(native wasm browser)

packages=()
want_browser=0
want_node=0
for group in "${groups[@]}"; do
  case "$group" in
    native) packages+=(build-essential cmake libeigen3-dev libxsimd-dev libgtest-dev libbenchmark-dev
                       libcli11-dev nlohmann-json3-dev libstb-dev libgif-dev python3 python3-torch
                       clang-14 libclang-rt-14-dev) ;;
    wasm) packages+=(emscripten libeigen3-dev libxsimd-dev nlohmann-json3-dev cmake); want_node=1 ;;
    browser) packages+=(chromium firefox-esr webkit2gtk-driver xvfb); want_node=1; want_browser=1 ;;
    *) echo "setup.sh: unknown group '$group' (native, wasm, browser)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm: any install will do (a NodeSource nodejs bundles npm and
# conflicts with Debian's npm package), so look for the commands.
if [ $want_node -eq 1 ]; then
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ $want_browser -eq 1 ] && { [ ! -d tests/node_modules/playwright-core ] || [ ! -d tests/node_modules/puppeteer-core ] ||
                                [ ! -d tests/node_modules/typescript ]; }; then
  echo "setup: installing the test tools (tests/package-lock.json: playwright-core, puppeteer-core, typescript)"
  (cd tests && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
