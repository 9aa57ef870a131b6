import { pythonString } from './literals';
import { envNames, introText, type Plan, type Secret } from './plan';
import { comment, program } from './template';

const value = (secret: Secret) =>
  secret.kind === 'env' ? `env(${pythonString(secret.name)})` : pythonString(secret.value);

const ENV_HELPER = [
  '',
  '',
  'def env(name):',
  '    """The environment variable\'s value; stops with a message when it is unset or empty."""',
  '    value = os.environ.get(name)',
  '    if not value:',
  '        sys.exit(f"Set the environment variable {name}")',
  '    return value',
  '',
];

/** The values the program works with, named once at the top. */
function values(plan: Plan): string[] {
  if (plan.call === 'account') return [`access_token = ${value(plan.accessToken)}`];
  return [
    `client_id = ${pythonString(plan.clientId)}`,
    `client_secret = ${value(plan.clientSecret)}`,
    `refresh_token = ${value(plan.refreshToken)}`,
  ];
}

const CREDENTIALS = 'credentials = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()';

/** urllib.request: raises HTTPError for a 4xx/5xx answer, whose body it still holds. */
export function pythonHttp(plan: Plan): string {
  const usesEnv = envNames(plan).length > 0;
  const basic = plan.call === 'refresh' && plan.basic;
  const request =
    plan.call === 'account'
      ? [
          'request = urllib.request.Request(',
          `    ${pythonString(plan.url)},`,
          '    headers={"Accept": "application/json", "Authorization": f"Bearer {access_token}"},',
          ')',
        ]
      : [
          plan.basic && CREDENTIALS,
          'body = {',
          '    "grant_type": "refresh_token",',
          '    "refresh_token": refresh_token,',
          plan.inBody && ['    "client_id": client_id,', '    "client_secret": client_secret,'],
          '}',
          'request = urllib.request.Request(',
          `    ${pythonString(plan.url)},`,
          '    data=json.dumps(body).encode(),',
          '    method="POST",',
          '    headers={',
          '        "Content-Type": "application/json",',
          '        "Accept": "application/json",',
          plan.basic && '        "Authorization": f"Basic {credentials}",',
          '    },',
          ')',
        ];
  return program(
    '#!/usr/bin/env python3',
    comment('#', introText(plan, 'Python 3 (standard library only)', 'python3 snippet.py')),
    basic && 'import base64',
    plan.call === 'refresh' && 'import json',
    usesEnv && 'import os',
    'import sys',
    'import urllib.error',
    'import urllib.request',
    usesEnv ? ENV_HELPER : '',
    usesEnv && '',
    values(plan),
    '',
    request,
    'try:',
    '    with urllib.request.urlopen(request, timeout=30) as response:',
    '        print(response.read().decode())',
    'except urllib.error.HTTPError as error:',
    '    print(f"HTTP {error.code}", file=sys.stderr)',
    '    print(error.read().decode(errors="replace"), file=sys.stderr)',
    '    sys.exit(1)',
  );
}

/** The vendor's example (dropbox_sign: ApiClient, api.OAuthApi / api.AccountApi), made complete. */
export function pythonSdk(plan: Plan): string {
  const usesEnv = envNames(plan).length > 0;
  const basic = plan.call === 'refresh' && plan.basic;
  const configuration =
    plan.call === 'account'
      ? [
          'configuration = Configuration(',
          '    access_token=access_token,',
          plan.customHost && `    host=${pythonString(`${plan.host}/v3`)},`,
          ')',
        ]
      : plan.customHost
        ? [
            '# The SDK sends this call to https://app.hellosign.com unless told to use `host` for every call.',
            `configuration = Configuration(host=${pythonString(plan.host)}, ignore_operation_servers=True)`,
          ]
        : ['configuration = Configuration()'];
  const body =
    plan.call === 'account'
      ? ['    try:', '        response = api.AccountApi(api_client).account_get()']
      : [
          basic && [
            '    # HTTP Basic client authentication: the SDK has no setting for it on this call.',
            `    ${CREDENTIALS}`,
            '    api_client.set_default_header("Authorization", f"Basic {credentials}")',
            '',
          ],
          '    o_auth_token_refresh_request = models.OAuthTokenRefreshRequest(',
          '        grant_type="refresh_token",',
          '        refresh_token=refresh_token,',
          plan.inBody && ['        client_id=client_id,', '        client_secret=client_secret,'],
          '    )',
          '',
          '    try:',
          '        response = api.OAuthApi(api_client).oauth_token_refresh(',
          '            o_auth_token_refresh_request=o_auth_token_refresh_request,',
          '        )',
        ];
  return program(
    comment('#', introText(plan, 'pip install dropbox-sign', 'python3 snippet.py')),
    basic && 'import base64',
    usesEnv && 'import os',
    'import sys',
    '',
    `from dropbox_sign import ApiClient, ApiException, Configuration, api${plan.call === 'refresh' ? ', models' : ''}`,
    usesEnv ? ENV_HELPER : '',
    usesEnv && '',
    values(plan),
    '',
    configuration,
    '',
    'with ApiClient(configuration) as api_client:',
    body,
    '        print(response.to_json())',
    '    except ApiException as e:',
    '        print(f"HTTP {e.status}", file=sys.stderr)',
    '        print(e.body, file=sys.stderr)',
    '        sys.exit(1)',
  );
}
