# Dropbox Sign: get the account (GET /v3/account) with the OAuth access token.
# Reads the access token from the environment:
#   DROPBOX_SIGN_ACCESS_TOKEN
# Needs: Ruby (standard library only)
# Run: ruby snippet.rb
# Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
require "net/http"
require "uri"

# The environment variable's value; stops with a message when it is unset or empty.
def env(name)
  value = ENV[name]
  abort "Set the environment variable #{name}" if value.nil? || value.empty?
  value
end

access_token = env('DROPBOX_SIGN_ACCESS_TOKEN')

uri = URI('https://api.hellosign.com/v3/account')
request = Net::HTTP::Get.new(uri)
request["Accept"] = "application/json"
request["Authorization"] = "Bearer #{access_token}"

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
