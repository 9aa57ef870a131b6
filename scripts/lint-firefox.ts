/**
 * `web-ext lint` on dist/firefox, read as JSON: fails on any error, notice or warning, except the one that
 * is known and accounted for. Preact's runtime chunk assigns `innerHTML` for `dangerouslySetInnerHTML`, which
 * our code never uses (a unit test in this folder checks src/ for it); that warning is listed, not printed as
 * one. Any other warning, or that one moving to another file (our own code), fails the step.
 */
import { spawnSync } from 'node:child_process';

export interface LintMessage {
  code: string;
  file?: string;
  message?: string;
  line?: number;
}

/** Preact's own `innerHTML` (the runtime chunk is named after its jsx-runtime module). */
export function isKnownVendorWarning(message: LintMessage): boolean {
  return (
    message.code === 'UNSAFE_VAR_ASSIGNMENT' && /^assets\/jsxRuntime-[\w-]+\.js$/.test(message.file ?? '')
  );
}

export function judge(report: { errors: LintMessage[]; notices: LintMessage[]; warnings: LintMessage[] }): {
  ok: boolean;
  lines: string[];
} {
  const unexpected = [
    ...report.errors,
    ...report.notices,
    ...report.warnings.filter((w) => !isKnownVendorWarning(w)),
  ];
  const known = report.warnings.filter(isKnownVendorWarning);
  const lines = [
    `web-ext lint (dist/firefox): ${report.errors.length} errors, ${report.notices.length} notices, ${report.warnings.length} warnings${
      known.length
        ? ` (${known.length} known: Preact's innerHTML for dangerouslySetInnerHTML, unused by our code)`
        : ''
    }`,
    ...unexpected.map((m) => `  ${m.code} ${m.file ?? ''}${m.line ? `:${m.line}` : ''} ${m.message ?? ''}`),
  ];
  return { ok: unexpected.length === 0, lines };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const run = spawnSync('npx', ['web-ext', 'lint', '--source-dir', 'dist/firefox', '--output', 'json'], {
    encoding: 'utf8',
  });
  let report;
  try {
    report = JSON.parse(run.stdout) as Parameters<typeof judge>[0];
  } catch {
    console.log(run.stdout, run.stderr);
    console.log('web-ext lint did not answer in JSON; see above.');
    process.exit(1);
  }
  const { ok, lines } = judge(report);
  for (const line of lines) console.log(line);
  process.exit(ok ? 0 : 1);
}
