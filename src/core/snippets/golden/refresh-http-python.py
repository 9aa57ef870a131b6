#!/usr/bin/env python3
# Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
# Sends client_id and client_secret in the JSON body.
# Reads the client secret and the refresh token from the environment (the client ID is not secret):
#   DROPBOX_SIGN_CLIENT_SECRET
#   DROPBOX_SIGN_REFRESH_TOKEN
# Needs: Python 3 (standard library only)
# Run: python3 snippet.py
# Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
import json
import os
import sys
import urllib.error
import urllib.request


def env(name):
    """The environment variable's value; stops with a message when it is unset or empty."""
    value = os.environ.get(name)
    if not value:
        sys.exit(f"Set the environment variable {name}")
    return value


client_id = "cc91c61d00f8bb2ece1428035716b"
client_secret = env("DROPBOX_SIGN_CLIENT_SECRET")
refresh_token = env("DROPBOX_SIGN_REFRESH_TOKEN")

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
    },
)
try:
    with urllib.request.urlopen(request, timeout=30) as response:
        print(response.read().decode())
except urllib.error.HTTPError as error:
    print(f"HTTP {error.code}", file=sys.stderr)
    print(error.read().decode(errors="replace"), file=sys.stderr)
    sys.exit(1)
