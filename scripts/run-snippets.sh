#!/usr/bin/env bash
# Runs the executed-snippet suite (e2e/snippets): every "Copy as code" program, unmodified, against the sandbox
# playing app.hellosign.com and api.hellosign.com on 127.0.0.1:443. As root it enters a fresh network and mount
# namespace (nothing leaves the machine, the real /etc/hosts is untouched), brings lo up, maps both hosts to
# 127.0.0.1 with a bind-mounted hosts file, and runs vitest there. Without root or unshare the cases are
# reported as skipped, with the reason (on CI, where CI=true, that is a failure). Extra arguments go to vitest.
# Results: artifacts/snippets.json (vitest JSON), and a closing "Snippets executed: …" line.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p artifacts
rm -f artifacts/snippets.json
vitest=(node_modules/.bin/vitest run --config e2e/snippets/vitest.config.ts "$@")

reason=""
if [ "$(id -u)" -ne 0 ]; then
  reason="it needs root to create a network namespace (unshare --net --mount); run it as root, as CI does"
elif ! command -v unshare >/dev/null || ! command -v ip >/dev/null || ! command -v mount >/dev/null; then
  reason="unshare, ip or mount is missing (Debian packages util-linux, iproute2, mount)"
elif ! unshare --net --mount true 2>/dev/null; then
  reason="unshare --net --mount is not permitted here (a container without CAP_SYS_ADMIN?)"
fi
if [ -n "$reason" ]; then
  echo "Snippet suite: every case skipped: $reason."
  SNIPPETS_SKIP_REASON="$reason" exec "${vitest[@]}"
fi

# shellcheck disable=SC2016 # expanded by the inner shell
exec unshare --net --mount bash -c '
  set -euo pipefail
  ip link set lo up
  hosts=$(mktemp)
  trap "rm -f \"$hosts\"" EXIT
  printf "127.0.0.1 localhost\n::1 localhost\n127.0.0.1 app.hellosign.com api.hellosign.com\n" > "$hosts"
  mount --bind "$hosts" /etc/hosts
  SNIPPETS_NETNS=1 "$@"
' bash "${vitest[@]}"
