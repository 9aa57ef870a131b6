#!/usr/bin/env bash
# Installs what building, trying and testing need on a fresh Debian machine: Debian's Chromium and Firefox ESR
# (never a downloaded browser build) when missing, and the npm dependencies exactly as locked.
# CHROMIUM_PATH / FIREFOX_PATH point at other browsers on other machines; then nothing is installed for them.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
firefox="${FIREFOX_PATH:-/usr/bin/firefox-esr}"
missing=()
[ -x "$chromium" ] || missing+=(chromium)
[ -x "$firefox" ] || missing+=(firefox-esr)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "Chromium: $("$chromium" --version 2>/dev/null | tail -1)"
echo "Firefox:  $("$firefox" --version 2>/dev/null)"
echo "Node:     $(node --version)"

npm ci --no-audit --no-fund
