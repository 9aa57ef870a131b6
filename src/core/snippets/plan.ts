import { SECRET_ENV, type SnippetInput } from './types';

/**
 * The real hosts and the token path, as profile.ts and refresh-request.ts have them (a test checks they agree).
 * Repeated on purpose: this module's chunk loads only when "Copy as code" opens, and importing the popup's own
 * modules from it would make the bundler split those into one more chunk for the popup's first frame.
 */
export const REAL_OAUTH_HOST = 'https://app.hellosign.com';
export const REAL_API_HOST = 'https://api.hellosign.com';
export const OAUTH_TOKEN_PATH = '/oauth/token';

/** A secret as the program gets it: read from an environment variable, or written into the code. */
export type Secret = { kind: 'env'; name: string } | { kind: 'literal'; value: string };

interface PlanBase {
  /** The full URL the program calls. */
  url: string;
  /** The origin of that URL: what an SDK's base path is set to when it differs from the SDK's own. */
  host: string;
  /** The host is not the real Dropbox Sign one (a local sandbox, say): the SDK form must be pointed at it. */
  customHost: boolean;
}

/**
 * The refresh, as the extension sends it (refresh-request.ts): `POST {oauthHost}/oauth/token?refresh`, JSON
 * body, client credentials in the body, an HTTP Basic header, or both.
 */
export interface RefreshPlan extends PlanBase {
  call: 'refresh';
  clientId: string;
  clientSecret: Secret;
  refreshToken: Secret;
  /** client_id and client_secret go in the JSON body. */
  inBody: boolean;
  /** `Authorization: Basic base64(client_id:client_secret)`. */
  basic: boolean;
}

/** `GET {apiHost}/v3/account` with `Authorization: Bearer <access token>`. */
export interface AccountPlan extends PlanBase {
  call: 'account';
  accessToken: Secret;
}

export type Plan = RefreshPlan | AccountPlan;

/** What every language renders: the language-neutral facts of the call. */
export function planOf(input: SnippetInput): Plan {
  const secret = (name: string, value: string): Secret =>
    input.includeSecrets ? { kind: 'literal', value } : { kind: 'env', name };
  if (input.call === 'account') {
    return {
      call: 'account',
      url: `${input.apiHost}/v3/account`,
      host: input.apiHost,
      customHost: input.apiHost !== REAL_API_HOST,
      accessToken: secret(SECRET_ENV.accessToken, input.accessToken),
    };
  }
  return {
    call: 'refresh',
    url: `${input.oauthHost}${OAUTH_TOKEN_PATH}?refresh`,
    host: input.oauthHost,
    customHost: input.oauthHost !== REAL_OAUTH_HOST,
    clientId: input.clientId,
    clientSecret: secret(SECRET_ENV.clientSecret, input.clientSecret),
    refreshToken: secret(SECRET_ENV.refreshToken, input.refreshToken),
    inBody: input.clientAuth !== 'basic',
    basic: input.clientAuth !== 'body',
  };
}

/** The environment variables the program reads, in the order it reads them. */
export function envNames(plan: Plan): string[] {
  const secrets = plan.call === 'refresh' ? [plan.clientSecret, plan.refreshToken] : [plan.accessToken];
  return secrets.flatMap((s) => (s.kind === 'env' ? [s.name] : []));
}

/**
 * The comment at the top of every program, without comment markers: what it does, where its secrets come
 * from, what it needs and how to run it. Only fixed text: nothing from the profile goes into a comment,
 * where a newline or a `?>` in it could end the comment and become code.
 */
export function introText(plan: Plan, needs: string, run: string): string[] {
  const text =
    plan.call === 'refresh'
      ? ['Dropbox Sign: refresh the OAuth access token (POST /oauth/token?refresh).', clientAuthText(plan)]
      : ['Dropbox Sign: get the account (GET /v3/account) with the OAuth access token.'];
  const names = envNames(plan);
  if (names.length > 0) {
    text.push(
      plan.call === 'refresh'
        ? 'Reads the client secret and the refresh token from the environment (the client ID is not secret):'
        : 'Reads the access token from the environment:',
    );
    for (const name of names) text.push(`  ${name}`);
  } else {
    const what = plan.call === 'refresh' ? 'client secret and refresh token' : 'access token';
    text.push(`Holds the ${what} in clear: keep this file private and out of version control.`);
  }
  text.push(
    `Needs: ${needs}`,
    `Run: ${run}`,
    'Prints the response body; on an HTTP error, prints the status and body to stderr and exits 1.',
  );
  return text;
}

function clientAuthText(plan: RefreshPlan): string {
  if (!plan.basic) return 'Sends client_id and client_secret in the JSON body.';
  if (!plan.inBody) return 'Sends client_id and client_secret as an HTTP Basic header, not in the body.';
  return 'Sends client_id and client_secret in the JSON body and as an HTTP Basic header.';
}
