#!/usr/bin/env bash
# What the dashboard needs in CI: Debian's Chromium (for the real-browser test) and the npm
# packages of dashboard/ (world-atlas + topojson-client for the map's country outlines, served
# by `decarb serve` from dashboard/node_modules; playwright-core to drive Chromium, which never
# downloads a browser of its own). Called from .ci/run before `cargo test`; safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium
fi
chromium --version

command -v node >/dev/null 2>&1 || { echo "node is required for the dashboard's packages and browser test" >&2; exit 1; }
(cd dashboard && npm ci --no-audit --no-fund)
