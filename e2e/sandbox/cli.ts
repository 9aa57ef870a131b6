/**
 * Run the Dropbox Sign sandbox by hand (demo, manual testing):
 *
 *   npx tsx e2e/sandbox/cli.ts [--port N] [--host H] [--https] [--credentials-file PATH] [--cert-file PATH]
 *                             [--cert-host NAME ...] [--expires-in N|omit] [--no-rotate]
 *                             [--error-shape oauth|dropbox] [--verbose] [--callback-url URL]
 *                             [--scopes SCOPE,SCOPE]
 *
 * Prints the base URL, the seeded app's client ID, the consent page URL a person can open
 * (`/oauth/authorize?response_type=code&client_id=...`) and the app's OAuth callback URL: --callback-url, else
 * the sandbox's own `/oauth/callback` page, which shows the code and state to copy. The client secret and a
 * refresh token go to --credentials-file (JSON, mode 0600) for a seeding script; they are never printed.
 * With --https the self-signed certificate (public part only) can be written to --cert-file to trust it. It is
 * valid for --host, every --cert-host, app.hellosign.com, api.hellosign.com, localhost, 127.0.0.1 and ::1, so
 * where both Dropbox Sign hosts resolve to the sandbox (e.g. in a network namespace) it plays them for real:
 *
 *   npx tsx e2e/sandbox/cli.ts --https --port 443 --cert-file /tmp/sandbox-ca.pem
 *   curl --cacert /tmp/sandbox-ca.pem -H "Authorization: Bearer $TOKEN" https://api.hellosign.com/v3/account
 *
 * The certificate is self-signed (CA:FALSE), trusted as it is: curl --cacert, Python's ssl cafile, Go's
 * RootCAs / SSL_CERT_FILE and a Java truststore all accept it as its own trust anchor.
 * --scopes sets the seeded app's scopes (default basic_account_info,request_signature; without
 * basic_account_info or account_access, `GET /v3/account` answers 403). Stops on SIGINT/SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './server';
import type { SandboxSettings } from './server';
import { createSelfSignedCert } from './tls';

/** The hosts the sandbox stands in for: every --https certificate covers them. */
const DROPBOX_SIGN_HOSTS = ['app.hellosign.com', 'api.hellosign.com'];

/** The JSON written to --credentials-file. */
export interface SandboxCredentialsFile {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  requireClientCredentials: boolean;
}

/** Write a file readable by the owner only, atomically (a temp file created 0600, then renamed). */
function writePrivateFile(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
  renameSync(temp, path);
}

function fail(message: string): never {
  console.error(`sandbox: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    https: { type: 'boolean', default: false },
    'credentials-file': { type: 'string' },
    'cert-file': { type: 'string' },
    'expires-in': { type: 'string' },
    'no-rotate': { type: 'boolean', default: false },
    'error-shape': { type: 'string', default: 'oauth' },
    verbose: { type: 'boolean', default: false },
    'callback-url': { type: 'string' },
    'cert-host': { type: 'string', multiple: true },
    scopes: { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port ${values.port}`);
const errorShape = values['error-shape'];
if (errorShape !== 'oauth' && errorShape !== 'dropbox') fail('--error-shape must be oauth or dropbox');
const settings: Partial<SandboxSettings> = { errorShape, rotateRefreshTokens: !values['no-rotate'] };
const expiresIn = values['expires-in'];
if (expiresIn !== undefined) settings.expiresIn = expiresIn === 'omit' ? 'omit' : Number(expiresIn);

const appScopes = values.scopes
  ?.split(',')
  .map((scope) => scope.trim())
  .filter(Boolean);

const certHosts = [values.host, ...(values['cert-host'] ?? []), ...DROPBOX_SIGN_HOSTS];
const tls = values.https ? await createSelfSignedCert(certHosts) : undefined;
// Written before the sandbox listens: whoever sees it answer can already trust it.
if (tls && values['cert-file']) writeFileSync(values['cert-file'], tls.cert);
const sandbox = await startSandbox({
  host: values.host,
  port,
  tls,
  settings,
  log: values.verbose ? (line) => console.log(line) : undefined,
  callbackUrl: values['callback-url'],
  appScopes,
}).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

console.log(`Dropbox Sign sandbox listening on ${sandbox.url}`);
console.log(`  refresh endpoint: ${sandbox.url}/oauth/token?refresh`);
console.log(`  account endpoint: ${sandbox.url}/v3/account`);
console.log(`  client ID:        ${sandbox.app.clientId}`);
console.log(`  authorize URL:    ${sandbox.authorizeUrl({ state: 'demo' })}`);
console.log(`  callback URL:     ${sandbox.callbackUrlFor()}`);
console.log(`  app scopes:       ${(sandbox.app.scopes ?? []).join(', ') || '(none)'}`);

const credentialsFile = values['credentials-file'];
if (credentialsFile) {
  const credentials: SandboxCredentialsFile = {
    baseUrl: sandbox.url,
    clientId: sandbox.app.clientId,
    clientSecret: sandbox.app.clientSecret,
    refreshToken: sandbox.issueRefreshToken(),
    requireClientCredentials: sandbox.app.requireClientCredentials,
  };
  writePrivateFile(credentialsFile, JSON.stringify(credentials, null, 2) + '\n');
  console.log(`  credentials (secret, refresh token) written to ${credentialsFile}`);
} else {
  console.log('  (pass --credentials-file PATH to get the client secret and a refresh token)');
}
if (tls) {
  const names = [...new Set([...certHosts, 'localhost', '127.0.0.1', '::1'])];
  console.log(`  certificate names: ${names.join(', ')}`);
  if (values['cert-file']) console.log(`  certificate written to ${values['cert-file']}`);
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void sandbox.close().then(() => {
    console.log('Dropbox Sign sandbox stopped');
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
