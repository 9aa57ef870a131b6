// Line 1 of the bench alone, in a second (no browser): `npx tsx scripts/bench/show-bytes.ts` after a build.
import { popupBytes, workerBytes } from './bytes';

for (const [name, reach] of [
  ['popup', popupBytes('dist/chrome')],
  ['worker', workerBytes('dist/chrome')],
] as const) {
  const files = reach.files.map((f) => `${f.file} ${f.gzip}`).join(', ');
  console.log(`${name}: ${reach.gzip} bytes gzipped (${files})`);
}
