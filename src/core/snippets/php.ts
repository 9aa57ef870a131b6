import { phpString } from './literals';
import { envNames, introText, type Plan, type Secret } from './plan';
import { comment, indent, program } from './template';

const value = (secret: Secret) =>
  secret.kind === 'env' ? `env(${phpString(secret.name)})` : phpString(secret.value);

const ENV_HELPER = [
  '',
  "// The environment variable's value; stops with a message when it is unset or empty.",
  'function env(string $name): string',
  '{',
  '    $value = getenv($name);',
  "    if ($value === false || $value === '') {",
  '        fwrite(STDERR, "Set the environment variable $name\\n");',
  '        exit(2);',
  '    }',
  '    return $value;',
  '}',
];

function values(plan: Plan): string[] {
  if (plan.call === 'account') return [`$access_token = ${value(plan.accessToken)};`];
  return [
    `$client_id = ${phpString(plan.clientId)};`,
    `$client_secret = ${value(plan.clientSecret)};`,
    `$refresh_token = ${value(plan.refreshToken)};`,
  ];
}

/** file_get_contents with a stream context: built into php-cli, unlike the curl extension. */
export function phpHttp(plan: Plan): string {
  const request =
    plan.call === 'account'
      ? [
          '$context = stream_context_create([',
          "    'http' => [",
          "        'method' => 'GET',",
          '        \'header\' => "Accept: application/json\\r\\nAuthorization: Bearer $access_token",',
          "        'ignore_errors' => true, // a 4xx/5xx answer's body is wanted too",
          "        'timeout' => 30,",
          '    ],',
          ']);',
        ]
      : [
          '$body = json_encode([',
          "    'grant_type' => 'refresh_token',",
          "    'refresh_token' => $refresh_token,",
          plan.inBody && ["    'client_id' => $client_id,", "    'client_secret' => $client_secret,"],
          '], JSON_THROW_ON_ERROR);',
          '$headers = [',
          "    'Content-Type: application/json',",
          "    'Accept: application/json',",
          plan.basic && "    'Authorization: Basic ' . base64_encode($client_id . ':' . $client_secret),",
          '];',
          '$context = stream_context_create([',
          "    'http' => [",
          "        'method' => 'POST',",
          '        \'header\' => implode("\\r\\n", $headers),',
          "        'content' => $body,",
          "        'ignore_errors' => true, // a 4xx/5xx answer's body is wanted too",
          "        'timeout' => 30,",
          '    ],',
          ']);',
        ];
  return program(
    '<?php',
    '',
    comment('//', introText(plan, 'PHP 8 with the openssl extension (php-cli has it)', 'php snippet.php')),
    envNames(plan).length > 0 && ENV_HELPER,
    '',
    values(plan),
    '',
    request,
    `$response = file_get_contents(${phpString(plan.url)}, false, $context);`,
    'if ($response === false) {',
    '    fwrite(STDERR, "The request failed\\n");',
    '    exit(1);',
    '}',
    '// The last status line: after a redirect, there is one per response.',
    '$status = 0;',
    'foreach ($http_response_header as $line) {',
    "    if (preg_match('#^HTTP/\\S+ (\\d{3})#', $line, $match)) {",
    '        $status = (int) $match[1];',
    '    }',
    '}',
    'if ($status < 200 || $status > 299) {',
    '    fwrite(STDERR, "HTTP $status\\n$response\\n");',
    '    exit(1);',
    '}',
    'echo $response, PHP_EOL;',
  );
}

/** The vendor's example (dropbox/sign: Dropbox\Sign\Api\OAuthApi / AccountApi), made complete. */
export function phpSdk(plan: Plan): string {
  const basic = plan.call === 'refresh' && plan.basic;
  const api =
    plan.call === 'account'
      ? []
      : [
          basic && [
            '// HTTP Basic client authentication: the SDK has no setting for it on this call.',
            "$credentials = base64_encode($client_id . ':' . $client_secret);",
            "$client = new GuzzleHttp\\Client(['headers' => ['Authorization' => \"Basic $credentials\"]]);",
          ],
          plan.customHost
            ? [
                '// The SDK sends this call to https://app.hellosign.com: a subclass names the host instead.',
                `$o_auth_api = new class($config${basic ? ', $client' : ''}) extends Dropbox\\Sign\\Api\\OAuthApi {`,
                '    protected function getHostSettingsForoauthTokenRefresh(): array',
                '    {',
                `        return [['url' => ${phpString(plan.host)}, 'description' => 'OAuth host']];`,
                '    }',
                '};',
              ]
            : `$o_auth_api = new Dropbox\\Sign\\Api\\OAuthApi(config: $config${basic ? ', client: $client' : ''});`,
          '',
          '$o_auth_token_refresh_request = (new Dropbox\\Sign\\Model\\OAuthTokenRefreshRequest())',
          "    ->setGrantType('refresh_token')",
          plan.inBody
            ? [
                '    ->setRefreshToken($refresh_token)',
                '    ->setClientId($client_id)',
                '    ->setClientSecret($client_secret);',
              ]
            : '    ->setRefreshToken($refresh_token);',
        ];
  const call =
    plan.call === 'account'
      ? '$response = (new Dropbox\\Sign\\Api\\AccountApi(config: $config))->accountGet();'
      : [
          '$response = $o_auth_api->oauthTokenRefresh(',
          '    o_auth_token_refresh_request: $o_auth_token_refresh_request,',
          ');',
        ];
  return program(
    '<?php',
    '',
    comment('//', introText(plan, 'composer require dropbox/sign', 'php snippet.php')),
    "require_once __DIR__ . '/vendor/autoload.php';",
    envNames(plan).length > 0 && ENV_HELPER,
    '',
    values(plan),
    '',
    '$config = Dropbox\\Sign\\Configuration::getDefaultConfiguration();',
    plan.call === 'account' && [
      '$config->setAccessToken($access_token);',
      plan.customHost && `$config->setHost(${phpString(`${plan.host}/v3`)});`,
    ],
    api,
    '',
    'try {',
    indent('    ', call),
    '    // The models serialize to the JSON names (JsonSerializable).',
    '    echo json_encode($response, JSON_UNESCAPED_SLASHES), PHP_EOL;',
    '} catch (Dropbox\\Sign\\ApiException $e) {',
    "    fwrite(STDERR, 'HTTP ' . $e->getCode() . PHP_EOL . $e->getResponseBody() . PHP_EOL);",
    '    exit(1);',
    '}',
  );
}
