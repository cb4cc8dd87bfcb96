#!/usr/bin/env bash
# Debian packages the tests need: unixODBC (pyodbc imports libodbc.so.2), Chromium (browser tests), and
# Node.js with npm, which install and run Azurite, the storage emulator (`make azurite`).
# Installs only what is missing, so `make test` stays fast on a prepared machine.
set -euo pipefail
missing=()
ldconfig -p 2>/dev/null | grep -q 'libodbc.so.2' || missing+=(unixodbc)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
