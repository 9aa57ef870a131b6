/**
 * Renders the extension icons from their SVG sources with headless Chromium.
 *
 *   npx tsx scripts/render-icons.ts             # writes public/icons/icon-{16,32,48,128}.png
 *   npx tsx scripts/render-icons.ts --preview   # also writes a 4x zoomed review sheet
 *   npx tsx scripts/render-icons.ts --preview=/tmp/sheet.png
 *
 * Sources:
 *   public/icons/icon.svg        detailed mark (refresh arrow around a key), used at 48 and 128 px
 *   public/icons/icon-small.svg  arrow-only mark drawn on a 16-unit grid, used at 16 and 32 px
 *
 * The 128 px icon follows the Chrome Web Store guideline: a 96 px mark inside 16 px of transparent padding.
 * Set CHROMIUM_PATH to use a browser other than /usr/bin/chromium.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../e2e/chromium/launch';

interface IconTarget {
  /** Output edge length in CSS pixels (rendered at device scale factor 1). */
  size: number;
  /** SVG source file name inside public/icons/. */
  source: string;
  /** Transparent margin on each side, in pixels. */
  padding: number;
}

const ICONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const DEFAULT_PREVIEW_PATH = '/tmp/icons-preview.png';
const PREVIEW_ZOOM = 4;

const TARGETS: readonly IconTarget[] = [
  { size: 16, source: 'icon-small.svg', padding: 0 },
  { size: 32, source: 'icon-small.svg', padding: 0 },
  { size: 48, source: 'icon.svg', padding: 0 },
  { size: 128, source: 'icon.svg', padding: 16 },
];

/** Light and dark toolbar / page colours the icons are reviewed against. */
const PREVIEW_BACKGROUNDS: readonly string[] = [
  '#ffffff',
  '#f1f3f4',
  '#dee1e6',
  '#35363a',
  '#202124',
  '#000000',
];

function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

function pngDataUrl(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}

async function waitForImages(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const images = Array.from(document.images);
    await Promise.all(images.map((img) => img.decode()));
  });
}

async function renderIcon(page: Page, svg: string, target: IconTarget): Promise<Buffer> {
  const inner = target.size - 2 * target.padding;
  await page.setViewportSize({ width: target.size, height: target.size });
  await page.setContent(
    `<!doctype html><html><head><style>
      html, body { margin: 0; padding: 0; background: transparent; overflow: hidden; }
      img { display: block; position: absolute; left: ${target.padding}px; top: ${target.padding}px;
            width: ${inner}px; height: ${inner}px; }
    </style></head><body><img alt="" src="${svgDataUrl(svg)}"></body></html>`,
  );
  await waitForImages(page);
  return page.screenshot({
    omitBackground: true,
    clip: { x: 0, y: 0, width: target.size, height: target.size },
  });
}

async function renderPreview(page: Page, icons: ReadonlyMap<number, Buffer>, outPath: string): Promise<void> {
  const sizes = [...icons.keys()];
  const zoomedRow = (bg: string): string =>
    `<div class="row" style="background:${bg}">${sizes
      .map((size) => {
        const png = icons.get(size);
        if (!png) return '';
        const edge = size * PREVIEW_ZOOM;
        return `<img class="zoom" alt="" src="${pngDataUrl(png)}" style="width:${edge}px;height:${edge}px">`;
      })
      .join('')}<div class="actual">${sizes
      .map((size) => {
        const png = icons.get(size);
        return png ? `<img alt="" src="${pngDataUrl(png)}" style="width:${size}px;height:${size}px">` : '';
      })
      .join('')}</div></div>`;

  await page.setViewportSize({ width: 1400, height: 400 });
  await page.setContent(
    `<!doctype html><html><head><style>
      html, body { margin: 0; padding: 0; background: #888; font: 12px sans-serif; }
      .row { display: flex; align-items: center; gap: 24px; padding: 16px 24px; }
      .zoom { image-rendering: pixelated; }
      .actual { display: flex; align-items: center; gap: 12px; margin-left: 24px; }
    </style></head><body>${PREVIEW_BACKGROUNDS.map(zoomedRow).join('')}</body></html>`,
  );
  await waitForImages(page);
  await page.screenshot({ path: outPath, fullPage: true });
}

function previewPathFromArgs(argv: readonly string[]): string | undefined {
  for (const arg of argv) {
    if (arg === '--preview') return DEFAULT_PREVIEW_PATH;
    if (arg.startsWith('--preview=')) return path.resolve(arg.slice('--preview='.length));
  }
  return undefined;
}

async function main(): Promise<void> {
  const previewPath = previewPathFromArgs(process.argv.slice(2));
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext({ deviceScaleFactor: 1 });
    const page = await context.newPage();
    const rendered = new Map<number, Buffer>();
    for (const target of TARGETS) {
      const svg = await readFile(path.join(ICONS_DIR, target.source), 'utf8');
      const png = await renderIcon(page, svg, target);
      const outPath = path.join(ICONS_DIR, `icon-${target.size}.png`);
      await writeFile(outPath, png);
      rendered.set(target.size, png);
      console.log(`wrote ${path.relative(process.cwd(), outPath)} (${target.source})`);
    }
    if (previewPath) {
      await renderPreview(page, rendered, previewPath);
      console.log(`wrote ${previewPath}`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
