#!/usr/bin/env bash
# Installs what building, trying and testing need on a fresh Debian machine: Debian's Chromium and Firefox ESR
# (never a downloaded browser build) when missing, the language runtimes the executed-snippet suite runs the
# "Copy as code" programs with (npm run test:snippets), and the npm dependencies exactly as locked.
# CHROMIUM_PATH / FIREFOX_PATH point at other browsers on other machines; then nothing is installed for them.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
firefox="${FIREFOX_PATH:-/usr/bin/firefox-esr}"
missing=()
[ -x "$chromium" ] || missing+=(chromium)
[ -x "$firefox" ] || missing+=(firefox-esr)
# Snippet runtimes (Debian 12 packages; Swift has none): each added only when its command is missing.
has() { command -v "$1" >/dev/null 2>&1; }
has curl || missing+=(curl)
has python3 || missing+=(python3)
has php || missing+=(php-cli)
has ruby || missing+=(ruby)
has go || missing+=(golang-go)
has javac || missing+=(default-jdk-headless) # `java Main.java` compiles in memory: a JDK, not a JRE
has mcs || missing+=(mono-mcs)
[ -e /usr/lib/mono/4.5/System.Net.Http.dll ] || missing+=(libmono-system-net-http4.0-cil) # mcs -r:System.Net.Http.dll
has cert-sync || missing+=(ca-certificates-mono) # trusts the sandbox's test CA for Mono
has ip || missing+=(iproute2) # the suite's network namespace: ip link set lo up
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
echo "Snippet runtimes: $(php -r 'echo "PHP ", PHP_VERSION;') · $(ruby -e 'print "Ruby #{RUBY_VERSION}"') · \
$(go version | cut -d' ' -f3) · Java $(javac -version 2>&1 | cut -d' ' -f2) · Mono C# $(mcs --version | awk '{print $NF}')"

npm ci --no-audit --no-fund
