# Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
# Sends client_id and client_secret in the JSON body.
# Reads the client secret and the refresh token from the environment (the client ID is not secret):
#   DROPBOX_SIGN_CLIENT_SECRET
#   DROPBOX_SIGN_REFRESH_TOKEN
# Needs: pip install dropbox-sign
# Run: python3 snippet.py
# Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
import os
import sys

from dropbox_sign import ApiClient, ApiException, Configuration, api, models


def env(name):
    """The environment variable's value; stops with a message when it is unset or empty."""
    value = os.environ.get(name)
    if not value:
        sys.exit(f"Set the environment variable {name}")
    return value


client_id = "cc91c61d00f8bb2ece1428035716b"
client_secret = env("DROPBOX_SIGN_CLIENT_SECRET")
refresh_token = env("DROPBOX_SIGN_REFRESH_TOKEN")

configuration = Configuration()

with ApiClient(configuration) as api_client:
    o_auth_token_refresh_request = models.OAuthTokenRefreshRequest(
        grant_type="refresh_token",
        refresh_token=refresh_token,
        client_id=client_id,
        client_secret=client_secret,
    )

    try:
        response = api.OAuthApi(api_client).oauth_token_refresh(
            o_auth_token_refresh_request=o_auth_token_refresh_request,
        )
        print(response.to_json())
    except ApiException as e:
        print(f"HTTP {e.status}", file=sys.stderr)
        print(e.body, file=sys.stderr)
        sys.exit(1)
