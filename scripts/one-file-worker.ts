import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build as rolldownBuild } from 'rolldown';
import type { Plugin } from 'vite';

/**
 * The background code ships as one self-contained file, bundled apart from the pages.
 *
 * Built together with the popup (as crxjs does by default), the worker loads a loader, its entry chunk and
 * every chunk it shares with the popup: five files, each a separate fetch and compile when a stopped worker
 * starts (about 25 ms apiece, measured by `npm run bench`), and the shared chunks carry exports only the
 * popup uses. Bundled on its own, tree-shaken for the worker alone, it is one file and about a quarter
 * smaller gzipped. The pages keep crxjs's build; the manifest's `background` is pointed at this file.
 *
 * In `vite` serve mode crxjs keeps the worker (it wires hot reload through it), so this plugin only builds.
 */
export const WORKER_FILE = 'worker.js';

export function oneFileWorker(options: { entry: string; browser: 'chrome' | 'firefox' }): Plugin {
  let outDir = '';
  return {
    name: 'sign-token-refresher:one-file-worker',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    // After crxjs has written the pages and the manifest (it writes the manifest without `background`).
    async writeBundle() {
      await rolldownBuild({
        input: options.entry,
        treeshake: true,
        platform: 'browser',
        output: {
          file: path.join(outDir, WORKER_FILE),
          format: 'esm',
          minify: true,
        },
        write: true,
      });
      const manifestPath = path.join(outDir, 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
      // `type: "module"` keeps strict mode and lets Chrome report a syntax error as a module; the file has
      // no imports of its own.
      manifest.background =
        options.browser === 'firefox'
          ? { scripts: [WORKER_FILE], type: 'module' }
          : { service_worker: WORKER_FILE, type: 'module' };
      writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    },
  };
}

/** The manifest crxjs sees when building: the same, without the worker it no longer bundles. */
export function withoutBackground<T extends { background?: unknown }>(manifest: T): Omit<T, 'background'> {
  const { background: _background, ...rest } = manifest;
  return rest;
}
