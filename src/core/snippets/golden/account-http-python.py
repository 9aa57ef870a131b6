#!/usr/bin/env python3
# Dropbox Sign: get the account (GET /v3/account) with the OAuth access token.
# Reads the access token from the environment:
#   DROPBOX_SIGN_ACCESS_TOKEN
# Needs: Python 3 (standard library only)
# Run: python3 snippet.py
# Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
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


access_token = env("DROPBOX_SIGN_ACCESS_TOKEN")

request = urllib.request.Request(
    "https://api.hellosign.com/v3/account",
    headers={"Accept": "application/json", "Authorization": f"Bearer {access_token}"},
)
try:
    with urllib.request.urlopen(request, timeout=30) as response:
        print(response.read().decode())
except urllib.error.HTTPError as error:
    print(f"HTTP {error.code}", file=sys.stderr)
    print(error.read().decode(errors="replace"), file=sys.stderr)
    sys.exit(1)
