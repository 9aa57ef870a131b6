import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import manifest from './manifest.json' with { type: 'json' };

// One source tree, one manifest; `dist/chrome` is what Chrome loads unpacked and what the store zip holds.
export default defineConfig({
  plugins: [preact(), crx({ manifest })],
  build: {
    outDir: 'dist/chrome',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: { strictPort: true, port: 5173, hmr: { port: 5173 } },
});
