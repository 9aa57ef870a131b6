/**
 * Line 1 of `npm run bench`: the JS and CSS a browser loads for the popup page and for the worker, gzipped.
 *
 * Reachability is read from the built files themselves, as the browser would load them: the popup HTML's
 * `<script src>` and `<link rel="stylesheet|modulepreload" href>` tags (plus any inline `<style>`), the
 * manifest's `background.service_worker` loader, and from every JS file its static `import`/`export … from`
 * declarations (parsed with Vite's own parser, not a regex), transitively. Dynamic `import()` is not followed:
 * those chunks load later, on demand; they are listed apart. Each file is gzipped on its own (level 9, as a
 * server would send it) and the sizes are added up. 1 kB = 1000 bytes, as Vite prints them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { parseSync } from 'vite';

export interface FileSize {
  /** Path inside the extension, e.g. `assets/index.html-DBZpuY1I.js`, or `<inline style in …>`. */
  file: string;
  raw: number;
  gzip: number;
}

export interface Reachable {
  files: FileSize[];
  raw: number;
  gzip: number;
  /** Chunks only reachable through `import()`: not counted above. */
  dynamicOnly: string[];
}

export function gzipSize(bytes: Buffer | string): number {
  return gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;
}

/** Everything the popup page loads before any `import()`. */
export function popupBytes(root: string): Reachable {
  const manifest = readManifest(root);
  const html = manifest.action?.default_popup;
  if (!html) throw new Error('manifest.json has no action.default_popup');
  const htmlText = readFileSync(path.join(root, html), 'utf8');
  const entries: string[] = [];
  const inline: FileSize[] = [];
  for (const tag of htmlText.matchAll(/<(script|link)\b([^>]*)>/gi)) {
    const attrs = attributes(tag[2] ?? '');
    if (tag[1]?.toLowerCase() === 'script' && attrs.src) entries.push(resolveUrl(html, attrs.src));
    if (tag[1]?.toLowerCase() === 'link' && attrs.href) {
      const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
      if (rel.includes('stylesheet') || rel.includes('modulepreload'))
        entries.push(resolveUrl(html, attrs.href));
    }
  }
  for (const style of htmlText.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) {
    const text = style[1] ?? '';
    inline.push({ file: `<inline style in ${html}>`, raw: Buffer.byteLength(text), gzip: gzipSize(text) });
  }
  if (entries.length === 0) throw new Error(`${html} loads no script or stylesheet: cannot measure it`);
  return follow(root, entries, inline);
}

/** Everything the worker loads before any `import()`: the loader the manifest names, and its imports. */
export function workerBytes(root: string): Reachable {
  const loader = readManifest(root).background?.service_worker;
  if (!loader) throw new Error('manifest.json has no background.service_worker');
  return follow(root, [path.posix.normalize(loader)], []);
}

interface Manifest {
  action?: { default_popup?: string };
  background?: { service_worker?: string };
}

function readManifest(root: string): Manifest {
  return JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8')) as Manifest;
}

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    out[(m[1] ?? '').toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return out;
}

/** A URL as written in `from` (a file inside the extension) to a path inside the extension. */
function resolveUrl(from: string, url: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) throw new Error(`${from} loads ${url}: not a file of the extension`);
  const clean = url.split(/[?#]/)[0] ?? url;
  const resolved = clean.startsWith('/')
    ? path.posix.normalize(clean.slice(1))
    : path.posix.join(path.posix.dirname(from), clean);
  return resolved;
}

function follow(root: string, entries: string[], extra: FileSize[]): Reachable {
  const seen = new Set<string>();
  const dynamic = new Set<string>();
  const files: FileSize[] = [...extra];
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const full = path.join(root, file);
    if (!existsSync(full)) throw new Error(`${file} is referenced but missing from ${root}`);
    const bytes = readFileSync(full);
    files.push({ file, raw: bytes.length, gzip: gzipSize(bytes) });
    if (/\.(m?js)$/.test(file)) {
      const { statics, dynamics } = imports(bytes.toString('utf8'), file);
      for (const spec of statics) queue.push(resolveUrl(file, spec));
      for (const spec of dynamics) dynamic.add(resolveUrl(file, spec));
    }
  }
  return {
    files,
    raw: files.reduce((sum, f) => sum + f.raw, 0),
    gzip: files.reduce((sum, f) => sum + f.gzip, 0),
    dynamicOnly: [...dynamic].filter((f) => !seen.has(f)),
  };
}

interface AstNode {
  type: string;
  source?: { value?: unknown } | null;
  [key: string]: unknown;
}

function imports(code: string, file: string): { statics: string[]; dynamics: string[] } {
  const parsed = parseSync(file, code, { sourceType: 'module' });
  if (parsed.errors.length > 0) throw new Error(`${file} does not parse: ${parsed.errors[0]?.message ?? ''}`);
  const program = parsed.program as unknown as { body: AstNode[] };
  const statics: string[] = [];
  for (const node of program.body) {
    if (
      node.type === 'ImportDeclaration' ||
      node.type === 'ExportAllDeclaration' ||
      (node.type === 'ExportNamedDeclaration' && node.source)
    ) {
      const spec = node.source?.value;
      if (typeof spec !== 'string') throw new Error(`${file}: an import without a string source`);
      statics.push(spec);
    }
  }
  const dynamics: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as AstNode;
    if (node.type === 'ImportExpression' && typeof node.source?.value === 'string') {
      dynamics.push(node.source.value);
    }
    for (const key of Object.keys(node)) if (key !== 'type') walk(node[key]);
  };
  walk(program.body);
  for (const spec of [...statics, ...dynamics]) {
    if (!spec.startsWith('.') && !spec.startsWith('/')) {
      throw new Error(`${file} imports "${spec}", which is not a file of the extension`);
    }
  }
  return { statics, dynamics };
}
