# Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
# Sends client_id and client_secret in the JSON body.
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
end

o_auth_token_refresh_request = Dropbox::Sign::OAuthTokenRefreshRequest.new
o_auth_token_refresh_request.grant_type = "refresh_token"
o_auth_token_refresh_request.refresh_token = refresh_token
o_auth_token_refresh_request.client_id = client_id
o_auth_token_refresh_request.client_secret = client_secret

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
