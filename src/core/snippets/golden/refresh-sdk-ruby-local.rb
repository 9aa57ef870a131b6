# Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
# Sends client_id and client_secret as an HTTP Basic header, not in the body.
# Reads the client secret and the refresh token from the environment (the client ID is not secret):
#   DROPBOX_SIGN_CLIENT_SECRET
#   DROPBOX_SIGN_REFRESH_TOKEN
# Needs: gem install dropbox-sign
# Run: ruby snippet.rb
# Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
require "json"
require "dropbox-sign"

# The environment variable's value; stops with a message when it is unset or empty.
def env(name)
  value = ENV[name]
  abort "Set the environment variable #{name}" if value.nil? || value.empty?
  value
end

client_id = 'cc91c61d00f8bb2ece1428035716b'
client_secret = env('DROPBOX_SIGN_CLIENT_SECRET')
refresh_token = env('DROPBOX_SIGN_REFRESH_TOKEN')

Dropbox::Sign.configure do |config|
  # The SDK sends this call to https://app.hellosign.com unless told to ignore the operation's server.
  config.ignore_operation_servers = true
  config.scheme = 'http'
  config.host = '127.0.0.1:8443'
  config.base_path = ''
end

# HTTP Basic client authentication: the SDK has no setting for it on this call.
credentials = ["#{client_id}:#{client_secret}"].pack("m0")
Dropbox::Sign::ApiClient.default.default_headers["Authorization"] = "Basic #{credentials}"

o_auth_token_refresh_request = Dropbox::Sign::OAuthTokenRefreshRequest.new
o_auth_token_refresh_request.grant_type = "refresh_token"
o_auth_token_refresh_request.refresh_token = refresh_token

begin
  response = Dropbox::Sign::OAuthApi.new.oauth_token_refresh(
    o_auth_token_refresh_request,
  )
  puts JSON.generate(response.to_hash)
rescue Dropbox::Sign::ApiError => e
  warn "HTTP #{e.code}"
  warn e.response_body
  exit 1
end
