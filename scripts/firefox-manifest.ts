import type { ManifestV3Export } from '@crxjs/vite-plugin';

/**
 * The Firefox manifest, derived from manifest.json (the one kept by hand) at build time. Chrome runs the
 * background code as a service worker; Firefox runs the same module as an event page (`background.scripts`;
 * the build points it at the one-file worker of scripts/one-file-worker.ts), and
 * addons.mozilla.org wants a fixed add-on id, a minimum version and the data collection declaration.
 */
export const GECKO_ID = 'sign-token-refresher@signtokenrefresher.dev';

/** 142 is the first version, desktop and Android, that reads `data_collection_permissions`. */
export const FIREFOX_MIN_VERSION = '142.0';

type ManifestV3 = Exclude<ManifestV3Export, Promise<unknown> | ((...args: never[]) => unknown)>;

export function toFirefoxManifest(manifest: ManifestV3): ManifestV3 {
  const { background, ...rest } = manifest;
  if (background && !('service_worker' in background)) {
    throw new Error(
      'manifest.json should declare background.service_worker; the Firefox form is derived from it.',
    );
  }
  return {
    ...rest,
    ...(background ? { background: { scripts: [background.service_worker] } } : {}),
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}
