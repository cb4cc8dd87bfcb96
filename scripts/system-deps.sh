#!/usr/bin/env bash
# What the tests need beyond Python: Debian's unixODBC (pyodbc imports libodbc.so.2), Chromium (browser
# tests) and Node.js with npm (Azurite, the storage emulator, runs on it: `make azurite`), then
# axe-core from the npm registry for the accessibility checks (tests/browser/axe, pinned with its
# integrity in package-lock.json). Installs only what is missing, so `make test` stays
# fast on a prepared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
ldconfig -p 2>/dev/null | grep -q 'libodbc.so.2' || missing+=(unixodbc)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -f tests/browser/axe/node_modules/axe-core/axe.min.js ]; then
  echo "Installing axe-core (tests/browser/axe)"
  npm ci --prefix tests/browser/axe --no-audit --no-fund --silent
fi
