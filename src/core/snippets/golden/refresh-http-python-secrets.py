#!/usr/bin/env python3
# Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
# Sends client_id and client_secret in the JSON body and as an HTTP Basic header.
# Holds the client secret and refresh token in clear: keep this file private and out of version control.
# Needs: Python 3 (standard library only)
# Run: python3 snippet.py
# Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
import base64
import json
import sys
import urllib.error
import urllib.request

client_id = "cc91c61d00f8bb2ece1428035716b"
client_secret = "s3cr\"et'\\n $HOME #{x} {$y} %s ?> `id`\n\tend\x07 \xe9 \U0001f600"
refresh_token = "r\"t'\\ $(id) #{y}\r\n\xe9\U0001f600"

credentials = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
body = {
    "grant_type": "refresh_token",
    "refresh_token": refresh_token,
    "client_id": client_id,
    "client_secret": client_secret,
}
request = urllib.request.Request(
    "https://app.hellosign.com/oauth/token?refresh",
    data=json.dumps(body).encode(),
    method="POST",
    headers={
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Authorization": f"Basic {credentials}",
    },
)
try:
    with urllib.request.urlopen(request, timeout=30) as response:
        print(response.read().decode())
except urllib.error.HTTPError as error:
    print(f"HTTP {error.code}", file=sys.stderr)
    print(error.read().decode(errors="replace"), file=sys.stderr)
    sys.exit(1)
