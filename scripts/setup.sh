#!/usr/bin/env bash
# Set-up: Debian's Chromium for the browser tests (only if missing), then the npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq || echo "apt-get update failed; trying the install with the current package lists"
    $SUDO apt-get install -y -qq chromium
  else
    echo "No /usr/bin/chromium and no apt-get: the browser tests will be skipped (set CHROMIUM_PATH to use another Chromium)."
  fi
fi
npm install --no-audit --no-fund
