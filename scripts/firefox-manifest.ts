import type { ManifestV3Export } from '@crxjs/vite-plugin';

/**
 * The Firefox manifest, derived from manifest.json (the one kept by hand) at build time. Chrome runs the
 * background code as a service worker; Firefox runs the same module as an event page (`background.scripts`;
 * the build points it at the one-file worker of scripts/one-file-worker.ts), and
 * addons.mozilla.org wants a fixed add-on id, a minimum version and the data collection declaration.
 * Chrome's side panel (`side_panel` and the `sidePanel` permission) is Firefox's sidebar (`sidebar_action`,
 * which needs no permission): the same page in both.
 */
export const GECKO_ID = 'sign-token-refresher@signtokenrefresher.dev';

/** 142 is the first version, desktop and Android, that reads `data_collection_permissions`. */
export const FIREFOX_MIN_VERSION = '142.0';

type ManifestV3 = Exclude<ManifestV3Export, Promise<unknown> | ((...args: never[]) => unknown)>;

/** crxjs's manifest type has no `sidebar_action` (Firefox only); crxjs copies the key to the output as is. */
export type FirefoxManifestV3 = ManifestV3 & {
  sidebar_action?: {
    default_panel: string;
    default_title?: string;
    default_icon?: Record<string, string>;
    open_at_install?: boolean;
  };
};

export function toFirefoxManifest(manifest: ManifestV3): FirefoxManifestV3 {
  const { background, side_panel: sidePanel, ...rest } = manifest;
  if (background && !('service_worker' in background)) {
    throw new Error(
      'manifest.json should declare background.service_worker; the Firefox form is derived from it.',
    );
  }
  return {
    ...rest,
    // Firefox has no `sidePanel` permission (web-ext lint would flag it); its sidebar needs none.
    ...(rest.permissions
      ? { permissions: rest.permissions.filter((permission) => permission !== 'sidePanel') }
      : {}),
    ...(background ? { background: { scripts: [background.service_worker] } } : {}),
    ...(sidePanel?.default_path
      ? { sidebar_action: sidebarAction(sidePanel.default_path, manifest.action as ActionLike) }
      : {}),
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}

/** The toolbar button's keys this file reads (crxjs types `action` with @types/chrome, not installed here). */
interface ActionLike {
  default_title?: string;
  default_icon?: string | Record<string, string>;
}

/**
 * The sidebar shows the page of Chrome's side panel, under the toolbar button's title and icons (Firefox lists
 * it by them in its sidebar menu). Opened only from the popup's "Open in sidebar" button or that menu, never at
 * install.
 */
function sidebarAction(
  panel: string,
  action: ActionLike | undefined,
): NonNullable<FirefoxManifestV3['sidebar_action']> {
  return {
    default_panel: panel,
    ...(action?.default_title ? { default_title: action.default_title } : {}),
    ...(typeof action?.default_icon === 'object' ? { default_icon: action.default_icon } : {}),
    open_at_install: false,
  };
}
