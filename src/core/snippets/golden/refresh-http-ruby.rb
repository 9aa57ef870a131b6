# Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
# Sends client_id and client_secret in the JSON body.
# Reads the client secret and the refresh token from the environment (the client ID is not secret):
#   DROPBOX_SIGN_CLIENT_SECRET
#   DROPBOX_SIGN_REFRESH_TOKEN
# Needs: Ruby (standard library only)
# Run: ruby snippet.rb
# Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
require "json"
require "net/http"
require "uri"

# The environment variable's value; stops with a message when it is unset or empty.
def env(name)
  value = ENV[name]
  abort "Set the environment variable #{name}" if value.nil? || value.empty?
  value
end

client_id = 'cc91c61d00f8bb2ece1428035716b'
client_secret = env('DROPBOX_SIGN_CLIENT_SECRET')
refresh_token = env('DROPBOX_SIGN_REFRESH_TOKEN')

uri = URI('https://app.hellosign.com/oauth/token?refresh')
request = Net::HTTP::Post.new(uri)
request["Content-Type"] = "application/json"
request["Accept"] = "application/json"
request.body = JSON.generate({
  grant_type: "refresh_token",
  refresh_token: refresh_token,
  client_id: client_id,
  client_secret: client_secret,
})

http = Net::HTTP.new(uri.host, uri.port)
http.use_ssl = uri.scheme == "https"
http.open_timeout = 30
http.read_timeout = 30
response = http.request(request)
unless response.is_a?(Net::HTTPSuccess)
  warn "HTTP #{response.code}"
  warn response.body
  exit 1
end
puts response.body
