/**
 * Renders the Chrome Web Store's small promotional tile (440×280) from HTML with headless Chromium, the way
 * scripts/render-icons.ts renders the icons, and with the same icon source.
 *
 *   npx tsx scripts/render-promo-tile.ts                      # writes docs/store/promo-tile-440x280.png
 *   npx tsx scripts/render-promo-tile.ts --out=/tmp/tile.png  # somewhere else, to look at a change
 *
 * The store takes a 24-bit PNG or a JPEG without transparency: the page has an opaque background, and the
 * script checks the PNG's size and colour type before writing it. Set CHROMIUM_PATH to use a browser other
 * than /usr/bin/chromium.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../e2e/chromium/launch';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ICON_PATH = path.join(ROOT, 'public', 'icons', 'icon.svg');
const DEFAULT_OUT = path.join(ROOT, 'docs', 'store', 'promo-tile-440x280.png');
const TILE = { width: 440, height: 280 };

function tileHtml(iconSvg: string): string {
  const icon = `data:image/svg+xml;base64,${Buffer.from(iconSvg, 'utf8').toString('base64')}`;
  // Colours from the icon (#3D7BFF → #1746C7) and the popup's dark theme (the countdown's green).
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    html, body { margin: 0; width: ${TILE.width}px; height: ${TILE.height}px; overflow: hidden; }
    body { background: linear-gradient(160deg, #14264f 0%, #0b1428 100%); color: #ffffff;
           font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif; }
    .tile { position: relative; box-sizing: border-box; width: 100%; height: 100%; padding: 34px 34px 0;
            display: flex; flex-direction: column; overflow: hidden; }
    /* A faint ring in the bottom-right corner, echoing the icon's refresh arrow, clear of the text. */
    .ring { position: absolute; left: 300px; top: 170px; width: 260px; height: 260px; box-sizing: border-box;
            border-radius: 50%; border: 18px solid rgba(61, 123, 255, 0.2); }
    .row { position: relative; display: flex; align-items: center; gap: 20px; }
    .row img { width: 96px; height: 96px; flex: none; filter: drop-shadow(0 6px 14px rgba(0, 0, 0, 0.45)); }
    h1 { margin: 0; font-size: 31px; line-height: 1.12; font-weight: 800; letter-spacing: -0.01em; }
    p { position: relative; margin: 22px 0 0; font-size: 18px; line-height: 1.4; color: #c9d6ff; }
    .chip { position: relative; align-self: flex-start; margin-top: 20px; padding: 7px 14px; border-radius: 9px;
            background: #1d2a4d; border: 1px solid #33457a; font-size: 15px; color: #c9d6ff; }
    .chip b { margin-left: 8px; font: 700 17px ui-monospace, 'DejaVu Sans Mono', Menlo, monospace;
              color: #5fd39a; }
  </style></head><body><div class="tile">
    <div class="ring"></div>
    <div class="row"><img alt="" src="${icon}"><h1>Sign Token<br>Refresher</h1></div>
    <p>Fresh Dropbox Sign OAuth tokens,<br>one click away.</p>
    <div class="chip">Expires in<b>0:59:59</b></div>
  </div></body></html>`;
}

function outPathFromArgs(argv: readonly string[]): string {
  const arg = argv.find((a) => a.startsWith('--out='));
  return arg ? path.resolve(arg.slice('--out='.length)) : DEFAULT_OUT;
}

/** Width, height and colour type (2: RGB, 6: RGBA) from a PNG's IHDR chunk. */
function pngHeader(png: Buffer): { width: number; height: number; colorType: number } {
  if (png.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error('Not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png.readUInt8(25) };
}

async function main(): Promise<void> {
  const outPath = outPathFromArgs(process.argv.slice(2));
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext({ deviceScaleFactor: 1, viewport: TILE });
    const page = await context.newPage();
    await page.setContent(tileHtml(await readFile(ICON_PATH, 'utf8')));
    await page.evaluate(() => Promise.all(Array.from(document.images).map((img) => img.decode())));
    // The text and the icon keep a margin from every edge (the ring may run off the tile).
    const outside = await page.evaluate(
      ({ width, height, margin }) =>
        Array.from(document.querySelectorAll('.row img, h1, p, .chip'))
          .filter((el) => {
            const r = el.getBoundingClientRect();
            return (
              r.left < margin || r.top < margin || r.right > width - margin || r.bottom > height - margin
            );
          })
          .map((el) => el.tagName.toLowerCase()),
      { ...TILE, margin: 16 },
    );
    if (outside.length > 0) throw new Error(`Too close to the tile's edge: ${outside.join(', ')}`);
    const png = await page.screenshot({ clip: { x: 0, y: 0, ...TILE } });
    const header = pngHeader(png);
    if (header.width !== TILE.width || header.height !== TILE.height || header.colorType !== 2) {
      throw new Error(`Expected a 440×280 RGB PNG, got ${JSON.stringify(header)}`);
    }
    await writeFile(outPath, png);
    console.log(`wrote ${path.relative(process.cwd(), outPath)} (${png.length} bytes)`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
