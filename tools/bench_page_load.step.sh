#!/usr/bin/env bash
# A step of tools/bench.sh: survey page load time on an emulated 2G link in
# Chromium (tools/bench_page_load.mjs), as "measure|value|reference|ratio|target" rows.
set -euo pipefail
cd "$(dirname "$0")/.."
BUZON_BIN=${BUZON_BIN:-$PWD/${BUILD:-build}/buzon} exec node tools/bench_page_load.mjs --rows
