/**
 * How each "Copy as code" snippet is run, the way its language's users run a single-file program: the file
 * written verbatim, then the runtime's usual command, with the runtime's usual way of trusting an extra
 * certificate authority (the sandbox's test CA). Nothing here edits a snippet.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, symlinkSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { SnippetForm, SnippetLanguage, SnippetLanguageInfo } from '../../src/core/snippets';

declare module 'vitest' {
  interface TaskMeta {
    /** Why a snippet case was skipped (set by the test, read by the summary reporter). */
    snippetSkip?: string;
  }
}

/** Where the test CA is trusted from, prepared once per run (see `prepareTrust` in the test). */
export interface Trust {
  /** The CA certificate, PEM. */
  caFile: string;
  /** PKCS#12 trust store holding the CA (Java), made with keytool. */
  javaTrustStore: string;
  javaTrustStorePassword: string;
  /** A HOME whose Mono (BoringSSL) user store holds the CA, made with `cert-sync --user`. */
  monoHome: string;
  /** HOME for every other runtime: empty, so no user configuration leaks in. */
  plainHome: string;
  /** Go build cache and module dir, kept in the system temp dir so later runs reuse the build. */
  goCache: string;
  goPath: string;
}

export interface Step {
  command: string;
  args: string[];
}

export interface Runtime {
  /** Describe-block name, also what the summary line prints. */
  name: string;
  language: SnippetLanguage;
  form: SnippetForm;
  /** Programs the runtime needs on PATH, each with the Debian 12 package that provides it. */
  needs: { command: string; pkg: string }[];
  /** Environment besides PATH, HOME, LANG and the secrets: mostly the trust setting. */
  env(trust: Trust): Record<string, string>;
  /** HOME for the run. */
  home(trust: Trust): string;
  /** Set up the program's directory (never the program itself). */
  prepare?(dir: string): void;
  /** The snippet's own "Run:" line, which `steps` carries out (plus the trust setting). */
  run: string;
  /** Compile steps (if any) then the run, in the program's directory; the last step's stdout is its output. */
  steps(fileName: string, trust: Trust): Step[];
}

const PROJECT = resolve(import.meta.dirname, '../..');

const sslCertFile = (trust: Trust) => ({ SSL_CERT_FILE: trust.caFile });
const plainHome = (trust: Trust) => trust.plainHome;

const node = {
  needs: [{ command: 'node', pkg: 'nodejs' }],
  env: (trust: Trust) => ({ NODE_EXTRA_CA_CERTS: trust.caFile }),
  home: plainHome,
  // The project's node_modules stands in for `npm install @dropbox/sign tsx` in the user's project.
  prepare: (dir: string) => symlinkSync(join(PROJECT, 'node_modules'), join(dir, 'node_modules'), 'dir'),
  run: 'npx tsx snippet.ts',
  // What `npx tsx <file>` runs (the package linked above), without npx's own start-up.
  steps: (fileName: string) => [{ command: join(PROJECT, 'node_modules/.bin/tsx'), args: [fileName] }],
};

/** In the order the suite starts them: the slow compiled ones first, so they overlap with the rest. */
export const RUNTIMES: readonly Runtime[] = [
  {
    name: 'java',
    language: 'java',
    form: 'http',
    needs: [
      { command: 'java', pkg: 'default-jdk-headless' },
      // The single-file source launcher compiles in memory: it needs the JDK, not just a JRE.
      { command: 'javac', pkg: 'default-jdk-headless' },
      { command: 'keytool', pkg: 'default-jdk-headless' },
    ],
    env: () => ({}),
    home: plainHome,
    run: 'java Main.java',
    steps: (fileName, trust) => [
      {
        command: 'java',
        args: [
          `-Djavax.net.ssl.trustStore=${trust.javaTrustStore}`,
          `-Djavax.net.ssl.trustStorePassword=${trust.javaTrustStorePassword}`,
          // Start-up flags only (a short-lived program): no effect on what it does.
          '-XX:TieredStopAtLevel=1',
          '-XX:+UseSerialGC',
          fileName, // single-file source launch
        ],
      },
    ],
  },
  {
    name: 'csharp',
    language: 'csharp',
    form: 'http',
    needs: [
      { command: 'mcs', pkg: 'mono-mcs' },
      { command: 'mono', pkg: 'mono-runtime' },
      { command: 'cert-sync', pkg: 'ca-certificates-mono' },
    ],
    env: () => ({}),
    home: (trust) => trust.monoHome,
    run: 'mcs -r:System.Net.Http.dll Program.cs && mono Program.exe',
    steps: (fileName) => [
      { command: 'mcs', args: ['-r:System.Net.Http.dll', fileName] },
      { command: 'mono', args: [fileName.replace(/\.cs$/, '.exe')] },
    ],
  },
  {
    name: 'go',
    language: 'go',
    form: 'http',
    needs: [{ command: 'go', pkg: 'golang-go' }],
    env: (trust) => ({ ...sslCertFile(trust), GOCACHE: trust.goCache, GOPATH: trust.goPath, GOPROXY: 'off' }),
    home: plainHome,
    run: 'go run main.go',
    steps: (fileName) => [{ command: 'go', args: ['run', fileName] }],
  },
  { name: 'typescript sdk', language: 'typescript', form: 'sdk', ...node },
  { name: 'typescript', language: 'typescript', form: 'http', ...node },
  {
    name: 'curl',
    language: 'curl',
    form: 'http',
    needs: [
      { command: 'curl', pkg: 'curl' },
      { command: 'bash', pkg: 'bash' },
    ],
    env: sslCertFile,
    home: plainHome,
    run: 'bash snippet.sh',
    steps: (fileName) => [{ command: 'bash', args: [fileName] }],
  },
  {
    name: 'python',
    language: 'python',
    form: 'http',
    needs: [{ command: 'python3', pkg: 'python3' }],
    env: sslCertFile,
    home: plainHome,
    run: 'python3 snippet.py',
    steps: (fileName) => [{ command: 'python3', args: [fileName] }],
  },
  {
    name: 'php',
    language: 'php',
    form: 'http',
    needs: [{ command: 'php', pkg: 'php-cli' }],
    env: sslCertFile,
    home: plainHome,
    run: 'php snippet.php',
    steps: (fileName) => [{ command: 'php', args: [fileName] }],
  },
  {
    name: 'ruby',
    language: 'ruby',
    form: 'http',
    needs: [{ command: 'ruby', pkg: 'ruby' }],
    env: sslCertFile,
    home: plainHome,
    run: 'ruby snippet.rb',
    steps: (fileName) => [{ command: 'ruby', args: [fileName] }],
  },
];

/** What no runtime here can run, with why: named in the summary line. */
export function notExecuted(languages: readonly SnippetLanguageInfo[]): string[] {
  const covered = (id: SnippetLanguage, form: SnippetForm) =>
    RUNTIMES.some((r) => r.language === id && r.form === form);
  const noRuntime = languages.filter((l) => !covered(l.id, 'http')).map((l) => l.label);
  const sdks = languages.filter((l) => l.hasSdk && !covered(l.id, 'sdk')).map((l) => l.label);
  const out: string[] = [];
  if (noRuntime.length > 0)
    out.push(`${noRuntime.join(', ')} (no toolchain in Debian 12; golden files cover it)`);
  if (sdks.length > 0) {
    out.push(`the ${sdks.join(', ')} SDK forms (their package registries are unreachable here)`);
  }
  return out;
}

/** The first needed command not found on PATH, with its package; undefined when all are there. */
export function missingCommand(runtime: Runtime): { command: string; pkg: string } | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return runtime.needs.find(
    ({ command }) =>
      !dirs.some((dir) => {
        try {
          accessSync(join(dir, command), constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }),
  );
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Which step ended the run (a failed compile stops before the run). */
  step: string;
}

/** Run one command; resolves (never rejects) when it exits, is killed after `timeoutMs`, or cannot start. */
export function runStep(step: Step, cwd: string, env: Record<string, string>, timeoutMs: number) {
  return new Promise<RunResult>((done) => {
    const child = spawn(step.command, step.args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const label = [step.command, ...step.args].join(' ');
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ code: null, signal: null, stdout, stderr: `${stderr}${error.message}`, step: label });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, step: label });
    });
  });
}

/** Every step in turn, stopping at the first that fails. */
export async function runSteps(steps: Step[], cwd: string, env: Record<string, string>, timeoutMs: number) {
  let last: RunResult | undefined;
  for (const step of steps) {
    last = await runStep(step, cwd, env, timeoutMs);
    if (last.code !== 0) return last;
  }
  if (!last) throw new Error('A runtime with no steps');
  return last;
}
