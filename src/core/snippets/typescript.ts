import { tsString } from './literals';
import { envNames, introText, type Plan, type Secret } from './plan';
import { comment, program } from './template';

/*
 * Runs with `npx tsx` on Node 20: no top-level await (tsx compiles a file outside an ES module package to
 * CommonJS, where it is an error), so the work is in `main()`.
 */

const value = (secret: Secret) =>
  secret.kind === 'env' ? `env(${tsString(secret.name)})` : tsString(secret.value);

const ENV_HELPER = [
  '',
  "/** The environment variable's value; stops with a message when it is unset or empty. */",
  'function env(name: string): string {',
  '  const value = process.env[name];',
  '  if (!value) {',
  '    console.error(`Set the environment variable ${name}`);',
  '    process.exit(2);',
  '  }',
  '  return value;',
  '}',
];

function values(plan: Plan): string[] {
  if (plan.call === 'account') return [`const accessToken = ${value(plan.accessToken)};`];
  return [
    `const clientId = ${tsString(plan.clientId)};`,
    `const clientSecret = ${value(plan.clientSecret)};`,
    `const refreshToken = ${value(plan.refreshToken)};`,
  ];
}

const CREDENTIALS = 'const credentials = Buffer.from(`${clientId}:${clientSecret}`).toString("base64");';

/** Node 20's global fetch. */
export function typescriptHttp(plan: Plan): string {
  const init =
    plan.call === 'account'
      ? ['    headers: { Accept: "application/json", Authorization: `Bearer ${accessToken}` },']
      : [
          '    method: "POST",',
          '    headers: {',
          '      "Content-Type": "application/json",',
          '      Accept: "application/json",',
          plan.basic && '      Authorization: `Basic ${credentials}`,',
          '    },',
          '    body: JSON.stringify({',
          '      grant_type: "refresh_token",',
          '      refresh_token: refreshToken,',
          plan.inBody && ['      client_id: clientId,', '      client_secret: clientSecret,'],
          '    }),',
        ];
  return program(
    comment('//', introText(plan, 'Node.js 20 or later (no packages)', 'npx tsx snippet.ts')),
    envNames(plan).length > 0 && ENV_HELPER,
    '',
    values(plan),
    '',
    'async function main(): Promise<void> {',
    plan.call === 'refresh' && plan.basic && `  ${CREDENTIALS}`,
    `  const response = await fetch(${tsString(plan.url)}, {`,
    init,
    '    signal: AbortSignal.timeout(30_000),',
    '  });',
    '  const body = await response.text();',
    '  if (!response.ok) {',
    '    console.error(`HTTP ${response.status}`);',
    '    console.error(body);',
    '    process.exit(1);',
    '  }',
    '  console.log(body);',
    '}',
    '',
    'main().catch((error: unknown) => {',
    '  console.error(error);',
    '  process.exit(1);',
    '});',
  );
}

/** The vendor's example (`@dropbox/sign`: OAuthApi / AccountApi), made complete. */
export function typescriptSdk(plan: Plan): string {
  const call =
    plan.call === 'account'
      ? [
          '  const accountApi = new DropboxSign.AccountApi();',
          '  accountApi.accessToken = accessToken;',
          plan.customHost && `  accountApi.basePath = ${tsString(`${plan.host}/v3`)};`,
          '',
          '  const response = await accountApi.accountGet();',
        ]
      : [
          '  const oAuthApi = new DropboxSign.OAuthApi();',
          plan.customHost && `  oAuthApi.basePath = ${tsString(plan.host)};`,
          plan.basic && [
            '  // HTTP Basic client authentication: the SDK has no setting for it on this call.',
            `  ${CREDENTIALS}`,
            '  oAuthApi.defaultHeaders = { Authorization: `Basic ${credentials}` };',
          ],
          '',
          '  const oAuthTokenRefreshRequest: DropboxSign.OAuthTokenRefreshRequest = {',
          '    grantType: "refresh_token",',
          '    refreshToken,',
          plan.inBody && ['    clientId,', '    clientSecret,'],
          '  };',
          '',
          '  const response = await oAuthApi.oauthTokenRefresh(oAuthTokenRefreshRequest);',
        ];
  return program(
    comment('//', introText(plan, 'npm install @dropbox/sign', 'npx tsx snippet.ts')),
    'import * as DropboxSign from "@dropbox/sign";',
    envNames(plan).length > 0 && ENV_HELPER,
    '',
    values(plan),
    '',
    'async function main(): Promise<void> {',
    call,
    "  // response.body is the SDK's model (camelCase names); response.response.data is the JSON as received.",
    '  console.log(JSON.stringify(response.response.data));',
    '}',
    '',
    'main().catch((error: unknown) => {',
    "  // The SDK rejects with its HttpError (a 4xx) or axios's error: both hold the HTTP response.",
    '  const response = (error as { response?: { status: number; data: unknown } }).response;',
    '  if (response === undefined) {',
    '    console.error(error);',
    '  } else {',
    '    console.error(`HTTP ${response.status}`);',
    '    console.error(typeof response.data === "string" ? response.data : JSON.stringify(response.data));',
    '  }',
    '  process.exit(1);',
    '});',
  );
}
