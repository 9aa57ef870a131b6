import { vaultScenarios } from '../scenarios/vault';
import { test } from './fixtures';

// The vault scenarios every browser runs (the Chromium-only vault checks are in vault.spec.ts). The popup page
// reads storage.local itself: an extension page may.
for (const scenario of vaultScenarios) {
  test(scenario.name, ({ popup, sandbox }) =>
    scenario.run({
      popup,
      sandbox,
      readLocalStorage: () => popup.page.evaluate(() => chrome.storage.local.get(null)),
    }),
  );
}
