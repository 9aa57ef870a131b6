import { rubyString } from './literals';
import { envNames, introText, type Plan, type Secret } from './plan';
import { comment, program } from './template';

const value = (secret: Secret) =>
  secret.kind === 'env' ? `env(${rubyString(secret.name)})` : rubyString(secret.value);

const ENV_HELPER = [
  '',
  "# The environment variable's value; stops with a message when it is unset or empty.",
  'def env(name)',
  '  value = ENV[name]',
  '  abort "Set the environment variable #{name}" if value.nil? || value.empty?',
  '  value',
  'end',
];

function values(plan: Plan): string[] {
  if (plan.call === 'account') return [`access_token = ${value(plan.accessToken)}`];
  return [
    `client_id = ${rubyString(plan.clientId)}`,
    `client_secret = ${value(plan.clientSecret)}`,
    `refresh_token = ${value(plan.refreshToken)}`,
  ];
}

/** pack("m0"): strict Base64 without a line break, and without requiring the base64 library. */
const CREDENTIALS = 'credentials = ["#{client_id}:#{client_secret}"].pack("m0")';

/** net/http. */
export function rubyHttp(plan: Plan): string {
  const request =
    plan.call === 'account'
      ? [
          'request = Net::HTTP::Get.new(uri)',
          'request["Accept"] = "application/json"',
          'request["Authorization"] = "Bearer #{access_token}"',
        ]
      : [
          'request = Net::HTTP::Post.new(uri)',
          'request["Content-Type"] = "application/json"',
          'request["Accept"] = "application/json"',
          plan.basic && 'request.basic_auth(client_id, client_secret)',
          'request.body = JSON.generate({',
          '  grant_type: "refresh_token",',
          '  refresh_token: refresh_token,',
          plan.inBody && ['  client_id: client_id,', '  client_secret: client_secret,'],
          '})',
        ];
  return program(
    comment('#', introText(plan, 'Ruby (standard library only)', 'ruby snippet.rb')),
    plan.call === 'refresh' && 'require "json"',
    'require "net/http"',
    'require "uri"',
    envNames(plan).length > 0 && ENV_HELPER,
    '',
    values(plan),
    '',
    `uri = URI(${rubyString(plan.url)})`,
    request,
    '',
    'http = Net::HTTP.new(uri.host, uri.port)',
    'http.use_ssl = uri.scheme == "https"',
    'http.open_timeout = 30',
    'http.read_timeout = 30',
    'response = http.request(request)',
    'unless response.is_a?(Net::HTTPSuccess)',
    '  warn "HTTP #{response.code}"',
    '  warn response.body',
    '  exit 1',
    'end',
    'puts response.body',
  );
}

/** The configuration lines that point the SDK at a host of the user's (scheme, host and port, base path). */
function hostSettings(host: string, basePath: string): string[] {
  let scheme = 'https';
  let authority = host;
  try {
    const url = new URL(host);
    scheme = url.protocol.replace(/:$/, '');
    authority = url.host;
  } catch {
    // Not a URL: written as it is, for the user to see and fix.
  }
  return [
    `  config.scheme = ${rubyString(scheme)}`,
    `  config.host = ${rubyString(authority)}`,
    `  config.base_path = ${rubyString(basePath)}`,
  ];
}

/** The vendor's example (dropbox-sign gem: Dropbox::Sign::OAuthApi / AccountApi), made complete. */
export function rubySdk(plan: Plan): string {
  const configure =
    plan.call === 'account'
      ? ['  config.access_token = access_token', plan.customHost && hostSettings(plan.host, '/v3')]
      : plan.customHost && [
          "  # The SDK sends this call to https://app.hellosign.com unless told to ignore the operation's server.",
          '  config.ignore_operation_servers = true',
          hostSettings(plan.host, ''),
        ];
  const call =
    plan.call === 'account'
      ? ['begin', '  response = Dropbox::Sign::AccountApi.new.account_get']
      : [
          plan.basic && [
            '# HTTP Basic client authentication: the SDK has no setting for it on this call.',
            CREDENTIALS,
            'Dropbox::Sign::ApiClient.default.default_headers["Authorization"] = "Basic #{credentials}"',
            '',
          ],
          'o_auth_token_refresh_request = Dropbox::Sign::OAuthTokenRefreshRequest.new',
          'o_auth_token_refresh_request.grant_type = "refresh_token"',
          'o_auth_token_refresh_request.refresh_token = refresh_token',
          plan.inBody && [
            'o_auth_token_refresh_request.client_id = client_id',
            'o_auth_token_refresh_request.client_secret = client_secret',
          ],
          '',
          'begin',
          '  response = Dropbox::Sign::OAuthApi.new.oauth_token_refresh(',
          '    o_auth_token_refresh_request,',
          '  )',
        ];
  return program(
    comment('#', introText(plan, 'gem install dropbox-sign', 'ruby snippet.rb')),
    'require "json"',
    'require "dropbox-sign"',
    envNames(plan).length > 0 && ENV_HELPER,
    '',
    values(plan),
    '',
    'Dropbox::Sign.configure do |config|',
    configure,
    'end',
    '',
    call,
    '  puts JSON.generate(response.to_hash)',
    'rescue Dropbox::Sign::ApiError => e',
    '  warn "HTTP #{e.code}"',
    '  warn e.response_body',
    '  exit 1',
    'end',
  );
}
