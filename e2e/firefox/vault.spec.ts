import { vaultScenarios } from '../scenarios/vault';
import { test } from './fixtures';

// The passphrase vault in firefox-esr: storage.session and the event page are Firefox's own here. The popup
// page reads storage.local itself (Firefox gives extension pages `chrome` with promises too).
for (const scenario of vaultScenarios) {
  test(scenario.name, ({ popup, sandbox }) =>
    scenario.run({
      popup,
      sandbox,
      oauthHost: sandbox.url,
      readLocalStorage: () => popup.page.evaluate(() => chrome.storage.local.get(null)),
    }),
  );
}
