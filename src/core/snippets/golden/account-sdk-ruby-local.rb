# Dropbox Sign: get the account (GET /v3/account) with the OAuth access token.
# Reads the access token from the environment:
#   DROPBOX_SIGN_ACCESS_TOKEN
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

access_token = env('DROPBOX_SIGN_ACCESS_TOKEN')

Dropbox::Sign.configure do |config|
  config.access_token = access_token
  config.scheme = 'http'
  config.host = '127.0.0.1:8443'
  config.base_path = '/v3'
end

begin
  response = Dropbox::Sign::AccountApi.new.account_get
  puts JSON.generate(response.to_hash)
rescue Dropbox::Sign::ApiError => e
  warn "HTTP #{e.code}"
  warn e.response_body
  exit 1
end
