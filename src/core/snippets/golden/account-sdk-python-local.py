# Dropbox Sign: get the account (GET /v3/account) with the OAuth access token.
# Reads the access token from the environment:
#   DROPBOX_SIGN_ACCESS_TOKEN
# Needs: pip install dropbox-sign
# Run: python3 snippet.py
# Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
import os
import sys

from dropbox_sign import ApiClient, ApiException, Configuration, api


def env(name):
    """The environment variable's value; stops with a message when it is unset or empty."""
    value = os.environ.get(name)
    if not value:
        sys.exit(f"Set the environment variable {name}")
    return value


access_token = env("DROPBOX_SIGN_ACCESS_TOKEN")

configuration = Configuration(
    access_token=access_token,
    host="http://127.0.0.1:8443/v3",
)

with ApiClient(configuration) as api_client:
    try:
        response = api.AccountApi(api_client).account_get()
        print(response.to_json())
    except ApiException as e:
        print(f"HTTP {e.status}", file=sys.stderr)
        print(e.body, file=sys.stderr)
        sys.exit(1)
