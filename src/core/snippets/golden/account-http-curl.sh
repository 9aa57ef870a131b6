#!/usr/bin/env bash
# Dropbox Sign: get the account (GET /v3/account) with the OAuth access token.
# Reads the access token from the environment:
#   DROPBOX_SIGN_ACCESS_TOKEN
# Needs: bash and curl
# Run: bash snippet.sh
# Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
set -euo pipefail

access_token=${DROPBOX_SIGN_ACCESS_TOKEN:?Set DROPBOX_SIGN_ACCESS_TOKEN}

response=$(mktemp)
trap 'rm -f "$response"' EXIT
# The secrets go to curl on stdin and through a file descriptor, not on its command line (visible in ps).
status=$(curl --silent --show-error --globoff \
  --url 'https://api.hellosign.com/v3/account' \
  --header 'Accept: application/json' \
  --header @<(printf 'Authorization: Bearer %s\n' "$access_token") \
  --output "$response" --write-out '%{http_code}')
if [[ $status != 2?? ]]; then
  echo "HTTP $status" >&2
  cat "$response" >&2
  exit 1
fi
cat "$response"
