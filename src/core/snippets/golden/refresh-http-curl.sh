#!/usr/bin/env bash
# Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
# Sends client_id and client_secret in the JSON body.
# Reads the client secret and the refresh token from the environment (the client ID is not secret):
#   DROPBOX_SIGN_CLIENT_SECRET
#   DROPBOX_SIGN_REFRESH_TOKEN
# Needs: bash and curl
# Run: bash snippet.sh
# Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
set -euo pipefail

client_id='cc91c61d00f8bb2ece1428035716b'
client_secret=${DROPBOX_SIGN_CLIENT_SECRET:?Set DROPBOX_SIGN_CLIENT_SECRET}
refresh_token=${DROPBOX_SIGN_REFRESH_TOKEN:?Set DROPBOX_SIGN_REFRESH_TOKEN}

# Prints $1 as a JSON string: bash has no JSON encoder, so backslashes, quotes and control characters
# are escaped here.
json_string() {
  local s=$1 bs='\' c i
  s=${s//"$bs"/"$bs$bs"}
  s=${s//'"'/"$bs\""}
  for ((i = 1; i < 32; i++)); do
    printf -v c "\\x$(printf '%02x' "$i")"
    s=${s//"$c"/"$(printf '\\u%04x' "$i")"}
  done
  printf '"%s"' "$s"
}

body=$(printf '{"grant_type":"refresh_token","refresh_token":%s,"client_id":%s,"client_secret":%s}' \
  "$(json_string "$refresh_token")" "$(json_string "$client_id")" "$(json_string "$client_secret")")

response=$(mktemp)
trap 'rm -f "$response"' EXIT
# The secrets go to curl on stdin and through a file descriptor, not on its command line (visible in ps).
status=$(printf '%s' "$body" | curl --silent --show-error --globoff \
  --request POST \
  --url 'https://app.hellosign.com/oauth/token?refresh' \
  --header 'Content-Type: application/json' \
  --header 'Accept: application/json' \
  --data-binary @- \
  --output "$response" --write-out '%{http_code}')
if [[ $status != 2?? ]]; then
  echo "HTTP $status" >&2
  cat "$response" >&2
  exit 1
fi
cat "$response"
