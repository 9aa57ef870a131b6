# Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).
# Sends client_id and client_secret in the JSON body and as an HTTP Basic header.
# Holds the client secret and refresh token in clear: keep this file private and out of version control.
# Needs: Ruby (standard library only)
# Run: ruby snippet.rb
# Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.
require "json"
require "net/http"
require "uri"

client_id = 'cc91c61d00f8bb2ece1428035716b'
client_secret = "s3cr\"et'\\n $HOME \#{x} {$y} %s ?> `id`\n\tend\u{7} \u{e9} \u{1f600}"
refresh_token = "r\"t'\\ $(id) \#{y}\r\n\u{e9}\u{1f600}"

uri = URI('https://app.hellosign.com/oauth/token?refresh')
request = Net::HTTP::Post.new(uri)
request["Content-Type"] = "application/json"
request["Accept"] = "application/json"
request.basic_auth(client_id, client_secret)
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
