#!/usr/bin/env bash
# Set-up: Debian's Chromium and openssl for the browser tests (only if missing), then the npm dependencies.
# (openssl makes the self-signed certificate of the Canva test's HTTPS model host.)
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGES=""
[ -x /usr/bin/chromium ] || PACKAGES="chromium"
command -v openssl >/dev/null || PACKAGES="$PACKAGES openssl"
if [ -n "$PACKAGES" ]; then
  if command -v apt-get >/dev/null; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq || echo "apt-get update failed; trying the install with the current package lists"
    $SUDO apt-get install -y -qq $PACKAGES
  else
    echo "Missing$PACKAGES and no apt-get: the browser tests that need them will be skipped (set CHROMIUM_PATH to use another Chromium)."
  fi
fi
npm install --no-audit --no-fund
