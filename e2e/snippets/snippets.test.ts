/**
 * "Copy as code", executed: every plain-HTTP snippet, and the TypeScript SDK one, is written to a file exactly as
 * `codeSnippet` returns it and run with its language's own runtime against the sandbox, which plays
 * app.hellosign.com and api.hellosign.com for real (port 443, a certificate from a test CA the runtime is told to
 * trust the usual way). Each run must exit 0 and print the real answer, and the sandbox must have received
 * exactly the expected request; a revoked refresh token must make the program exit non-zero.
 *
 * Run it with `npm run test:snippets` (scripts/run-snippets.sh): as root it enters a network namespace where both
 * hosts resolve to 127.0.0.1. Started any other way, every case is skipped with the reason (a failure on CI). A
 * runtime missing from PATH skips its language with the package to install (a failure on CI, where
 * scripts/setup.sh installs them). SNIPPETS_KEEP_DIR=1 keeps the programs' directory for a look afterwards.
 */
import { lookup } from 'node:dns/promises';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox } from '../sandbox/server';
import type { RecordedRequest, Sandbox } from '../sandbox/server';
import { codeSnippet, SECRET_ENV, SNIPPET_LANGUAGES } from '../../src/core/snippets';
import type { SnippetCall, SnippetInput } from '../../src/core/snippets';
import { missingCommand, RUNTIMES, runStep, runSteps } from './runtimes';
import type { RunResult, Runtime, Trust } from './runtimes';

const CI = process.env.CI === 'true';
const OAUTH_HOST = 'https://app.hellosign.com';
const API_HOST = 'https://api.hellosign.com';
const HOSTS = [new URL(OAUTH_HOST).hostname, new URL(API_HOST).hostname];
/** A compile plus a run on a loaded 2-core machine stays far below this. */
const RUN_TIMEOUT_MS = 45_000;

interface Case {
  title: string;
  call: SnippetCall;
  includeSecrets: boolean;
  clientAuth: SnippetInput['clientAuth'];
  outcome: 'ok' | 'revoked';
}

const CASES: readonly Case[] = [
  {
    title: 'refresh, secrets from env',
    call: 'refresh',
    includeSecrets: false,
    clientAuth: 'body',
    outcome: 'ok',
  },
  {
    title: 'refresh, secrets inline',
    call: 'refresh',
    includeSecrets: true,
    clientAuth: 'body',
    outcome: 'ok',
  },
  {
    title: 'refresh, client credentials in the body and as HTTP Basic',
    call: 'refresh',
    includeSecrets: false,
    clientAuth: 'both',
    outcome: 'ok',
  },
  {
    title: 'account, token from env',
    call: 'account',
    includeSecrets: false,
    clientAuth: 'body',
    outcome: 'ok',
  },
  {
    title: 'account, token inline',
    call: 'account',
    includeSecrets: true,
    clientAuth: 'body',
    outcome: 'ok',
  },
  {
    title: 'refresh with a revoked token exits non-zero',
    call: 'refresh',
    includeSecrets: false,
    clientAuth: 'body',
    outcome: 'revoked',
  },
];

/** Why the suite cannot run here, if it cannot. */
async function environmentProblem(): Promise<string | undefined> {
  const fromRunner = process.env.SNIPPETS_SKIP_REASON;
  if (fromRunner) return fromRunner;
  if (process.env.SNIPPETS_NETNS !== '1') {
    return 'not started by scripts/run-snippets.sh (npm run test:snippets), which runs it in a network namespace';
  }
  for (const host of HOSTS) {
    const { address } = await lookup(host, { family: 4 });
    if (address !== '127.0.0.1') return `${host} resolves to ${address}, not to the sandbox on 127.0.0.1`;
  }
  return undefined;
}

const problem = await environmentProblem();
if (problem) console.warn(`Snippet suite skipped: ${problem}.`);

let sandbox: Sandbox;
let caPem: string;
let trust: Trust;
let workDir: string;
let accountEmail: string;

/** A test CA and a server certificate for both hosts signed by it (Mono's TLS will not trust a bare leaf). */
async function createCertificates() {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 24 * 3600_000);
  const ec = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate, notAfterDate } as const;
  const ca = await generate([{ name: 'commonName', value: 'Sign Token Refresher snippet test CA' }], {
    ...ec,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const [first = 'localhost'] = HOSTS;
  const leaf = await generate([{ name: 'commonName', value: first }], {
    ...ec,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: HOSTS.map((value) => ({ type: 2 as const, value })) },
    ],
  });
  return { caPem: ca.cert, tls: { key: leaf.private, cert: leaf.cert } };
}

/** The CA file, and the Java and Mono trust stores when those runtimes are here. */
async function prepareTrust(dir: string): Promise<Trust> {
  const goRoot = join(tmpdir(), 'sign-token-refresher-snippets-go');
  const made: Trust = {
    caFile: join(dir, 'test-ca.pem'),
    javaTrustStore: join(dir, 'truststore.p12'),
    javaTrustStorePassword: 'changeit',
    monoHome: join(dir, 'mono-home'),
    plainHome: join(dir, 'home'),
    goCache: join(goRoot, 'cache'),
    goPath: join(goRoot, 'path'),
  };
  writeFileSync(made.caFile, caPem);
  for (const path of [made.monoHome, made.plainHome, made.goCache, made.goPath]) {
    mkdirSync(path, { recursive: true });
  }
  const env = { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' };
  const byName = (name: string) => RUNTIMES.find((r) => r.name === name);
  const java = byName('java');
  const mono = byName('csharp');
  const steps: Promise<RunResult>[] = [];
  if (java && !missingCommand(java)) {
    steps.push(
      runStep(
        {
          command: 'keytool',
          args: [
            '-importcert',
            '-noprompt',
            '-alias',
            'snippet-test-ca',
            '-file',
            made.caFile,
            '-keystore',
            made.javaTrustStore,
            '-storetype',
            'PKCS12',
            '-storepass',
            made.javaTrustStorePassword,
          ],
        },
        dir,
        { ...env, HOME: made.plainHome },
        RUN_TIMEOUT_MS,
      ),
    );
  }
  if (mono && !missingCommand(mono)) {
    steps.push(
      runStep(
        { command: 'cert-sync', args: ['--quiet', '--user', made.caFile] },
        dir,
        { ...env, HOME: made.monoHome },
        RUN_TIMEOUT_MS,
      ),
    );
  }
  for (const result of await Promise.all(steps)) {
    if (result.code !== 0) throw new Error(`${result.step} failed:\n${result.stderr}${result.stdout}`);
  }
  return made;
}

/** One HTTPS call from the test itself (to set up and to check), trusting the test CA. */
function call(method: string, url: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = https.request(url, { method, headers, ca: caPem, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A refresh by the test itself (spends `refreshToken`); returns the parsed 200 body. */
async function refreshDirectly(refreshToken: string): Promise<Record<string, unknown>> {
  const body = JSON.stringify({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: sandbox.app.clientId,
    client_secret: sandbox.app.clientSecret,
  });
  const answer = await call(
    'POST',
    `${OAUTH_HOST}/oauth/token?refresh`,
    { 'Content-Type': 'application/json' },
    body,
  );
  if (answer.status !== 200)
    throw new Error(`The test's own refresh answered ${answer.status}: ${answer.text}`);
  return asObject(JSON.parse(answer.text));
}

/** A fresh access token (from a refresh by the test). */
async function mintAccessToken(): Promise<string> {
  const token = (await refreshDirectly(sandbox.issueRefreshToken())).access_token;
  if (typeof token !== 'string') throw new Error('The sandbox issued no access token');
  return token;
}

function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('Not a JSON object');
  return value as Record<string, unknown>;
}

/** The request's body fields (the sandbox takes JSON or form-urlencoded). */
function bodyFields(request: RecordedRequest): Record<string, unknown> {
  const media = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (media === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(request.bodyText));
  }
  try {
    return asObject(JSON.parse(request.bodyText));
  } catch {
    return {};
  }
}

/** The refresh requests that carried `refreshToken` (cases run concurrently: the token tells them apart). */
const refreshRequestsWith = (refreshToken: string) =>
  sandbox.tokenRefreshRequests().filter((r) => bodyFields(r).refresh_token === refreshToken);

/** The Host header a request to `origin` carries (the default port may be spelt out). */
const hostHeader = (origin: string) =>
  new RegExp(`^${new URL(origin).hostname.replaceAll('.', '\\.')}(:443)?$`);

/** What a run did, for an assertion message. */
function describeRun(result: RunResult, file: string): string {
  const tail = (text: string) => (text.length > 3000 ? `…${text.slice(-3000)}` : text);
  const ended = result.signal ? `signal ${result.signal}` : `exit ${String(result.code)}`;
  return `${result.step} (${ended}) for ${file}\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`;
}

function parseStdout(result: RunResult, file: string): Record<string, unknown> {
  try {
    return asObject(JSON.parse(result.stdout));
  } catch {
    throw new Error(`stdout is not a JSON object: ${describeRun(result, file)}`);
  }
}

beforeAll(async () => {
  if (problem) return;
  const certificates = await createCertificates();
  caPem = certificates.caPem;
  sandbox = await startSandbox({ tls: certificates.tls, host: '127.0.0.1', port: 443 });
  workDir = mkdtempSync(join(tmpdir(), 'sign-snippets-'));
  trust = await prepareTrust(workDir);
  const account = await call('GET', `${API_HOST}/v3/account`, {
    Authorization: `Bearer ${await mintAccessToken()}`,
  });
  const email = asObject(asObject(JSON.parse(account.text)).account).email_address;
  if (typeof email !== 'string') throw new Error(`No account email from the sandbox: ${account.text}`);
  accountEmail = email;
}, 60_000);

afterAll(async () => {
  if (problem) return;
  await sandbox.close();
  if (process.env.SNIPPETS_KEEP_DIR === '1') console.log(`Snippet programs kept in ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
});

async function runCase(runtime: Runtime, testCase: Case) {
  const info = SNIPPET_LANGUAGES.find((l) => l.id === runtime.language);
  if (!info) throw new Error(`SNIPPET_LANGUAGES has no ${runtime.language}`);
  if (runtime.form === 'sdk') expect(info.hasSdk, `${info.label} has an SDK form`).toBe(true);
  const app = sandbox.app;

  // Fresh tokens for every case: a refresh rotates (spends) the one it sends, and cases run side by side.
  const refreshToken = testCase.call === 'refresh' ? sandbox.issueRefreshToken() : 'not-used-by-this-call';
  const accessToken = testCase.call === 'account' ? await mintAccessToken() : 'not-used-by-this-call';
  if (testCase.outcome === 'revoked') await refreshDirectly(refreshToken); // spent: rotation revoked it
  const earlierRequests = refreshRequestsWith(refreshToken).length;

  const input: SnippetInput = {
    call: testCase.call,
    language: runtime.language,
    form: runtime.form,
    oauthHost: OAUTH_HOST,
    apiHost: API_HOST,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    refreshToken,
    accessToken,
    clientAuth: testCase.clientAuth,
    includeSecrets: testCase.includeSecrets,
  };
  const code = codeSnippet(input);
  expect(code, 'the run instruction this suite follows').toContain(`Run: ${runtime.run}\n`);
  if (!testCase.includeSecrets) {
    for (const secret of [app.clientSecret, refreshToken, accessToken]) expect(code).not.toContain(secret);
  }

  const dir = mkdtempSync(join(workDir, `${runtime.name.replace(/\W+/g, '-')}-${testCase.call}-`));
  runtime.prepare?.(dir);
  const file = join(dir, info.fileName);
  writeFileSync(file, code);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: runtime.home(trust),
    LANG: 'C.UTF-8',
    ...runtime.env(trust),
  };
  // Inline secrets: the program gets none from its environment, so it can only work with the ones it holds.
  if (!testCase.includeSecrets) {
    env[SECRET_ENV.clientSecret] = app.clientSecret;
    env[SECRET_ENV.refreshToken] = refreshToken;
    env[SECRET_ENV.accessToken] = accessToken;
  }
  const result = await runSteps(runtime.steps(info.fileName, trust), dir, env, RUN_TIMEOUT_MS);

  if (testCase.outcome === 'revoked') {
    const run = describeRun(result, file);
    // It failed on the sandbox's answer (400 invalid_grant), not before sending (a TLS or compile error)...
    expect(refreshRequestsWith(refreshToken), run).toHaveLength(earlierRequests + 1);
    // ...and did what every snippet's comment promises: status and body on stderr, exit 1, nothing on stdout.
    expect(result.signal, run).toBeNull();
    expect(result.code, run).toBe(1);
    expect(result.stderr, run).toContain('400');
    expect(result.stderr, run).toContain('invalid_grant');
    expect(result.stdout.trim(), run).toBe('');
    return;
  }
  expect(result.code, describeRun(result, file)).toBe(0);
  const printed = parseStdout(result, file);

  if (testCase.call === 'account') {
    expect(asObject(printed.account).email_address).toBe(accountEmail);
    const requests = sandbox.requests.filter((r) => r.headers.authorization === `Bearer ${accessToken}`);
    expect(requests.map((r) => `${r.method} ${r.path}${r.search}`)).toEqual(['GET /v3/account']);
    expect(requests[0]?.headers.host).toMatch(hostHeader(API_HOST));
    expect(requests[0]?.bodyText).toBe('');
    return;
  }

  const requests = refreshRequestsWith(refreshToken);
  expect(requests, describeRun(result, file)).toHaveLength(1);
  const [request] = requests;
  expect(bodyFields(request as RecordedRequest)).toEqual({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: app.clientId,
    client_secret: app.clientSecret,
  });
  // One server plays both hosts: the Host header tells which one the program meant.
  expect(request?.headers.host).toMatch(hostHeader(OAUTH_HOST));
  const basic = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;
  expect(request?.headers.authorization, `Authorization header with clientAuth ${testCase.clientAuth}`).toBe(
    testCase.clientAuth === 'body' ? undefined : basic,
  );

  // The printed answer is the real one: a new access token that works, a rotated refresh token that is
  // accepted in place of the spent one.
  const newAccess = printed.access_token;
  const rotated = printed.refresh_token;
  expect(typeof newAccess).toBe('string');
  expect(typeof rotated).toBe('string');
  expect(sandbox.issuedAccessTokens()).toContain(newAccess);
  expect(sandbox.isRefreshTokenValid(refreshToken)).toBe(false);
  expect(rotated).not.toBe(refreshToken);
  const next = await refreshDirectly(rotated as string);
  expect(typeof next.access_token).toBe('string');
  const check = await call('GET', `${API_HOST}/v3/account`, {
    Authorization: `Bearer ${newAccess as string}`,
  });
  expect(check.status).toBe(200);
}

for (const runtime of RUNTIMES) {
  describe(runtime.name, () => {
    for (const testCase of CASES) {
      test(testCase.title, async (ctx) => {
        const missing = missingCommand(runtime);
        const reason =
          problem ??
          (missing &&
            `${missing.command} is not installed (Debian package ${missing.pkg}; scripts/setup.sh)`);
        if (reason) {
          if (CI) throw new Error(`${runtime.name}: ${reason}`);
          ctx.task.meta.snippetSkip = reason;
          ctx.skip(reason);
        }
        await runCase(runtime, testCase);
      });
    }
  });
}
