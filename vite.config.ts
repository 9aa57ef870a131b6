import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import manifest from './manifest.json' with { type: 'json' };
import { toFirefoxManifest } from './scripts/firefox-manifest';
import { oneFileWorker, withoutBackground } from './scripts/one-file-worker';

/**
 * One source tree, one hand-kept manifest, two outputs: `dist/chrome` (what Chrome loads unpacked and the
 * store zip holds) and `dist/firefox` (`vite build --mode firefox`, or BROWSER=firefox), whose manifest is
 * derived from manifest.json in scripts/firefox-manifest.ts. `npm run build` builds both.
 *
 * manifest.json's `key` (a public key; the private half was never kept) gives every unpacked Chrome build the
 * same extension id wherever its folder is, so the OAuth callback URL `https://<id>.chromiumapp.org/` stays
 * registered. The Chrome Web Store rejects a `key`: `npm run package` leaves it out of the store zip
 * (scripts/package.ts). Firefox has its fixed add-on id and no use for a `key`: left out of its manifest.
 *
 * The npm scripts load this file with `--configLoader runner` (chosen explicitly: Vite's default bundler
 * warns on every build that the config would not load natively, which Node 20 cannot do for TypeScript).
 */
export default defineConfig(({ mode, command }) => {
  const browser = mode === 'firefox' || process.env.BROWSER === 'firefox' ? 'firefox' : 'chrome';
  const { key: _chromeOnly, ...withoutKey } = manifest;
  const forBrowser = browser === 'firefox' ? toFirefoxManifest(withoutKey) : manifest;
  return {
    plugins: [
      preact(),
      // A build bundles the worker apart, as one file (scripts/one-file-worker.ts); serve mode keeps crxjs's.
      crx({ manifest: command === 'build' ? withoutBackground(forBrowser) : forBrowser, browser }),
      oneFileWorker({ entry: manifest.background.service_worker, browser }),
    ],
    build: {
      outDir: `dist/${browser}`,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
    },
    server: { strictPort: true, port: 5173, hmr: { port: 5173 } },
  };
});
