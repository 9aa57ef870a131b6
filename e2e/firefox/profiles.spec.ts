import {
  deleteAndUndo,
  duplicateAndRename,
  twoProfilesAlternatelyAndConcurrently,
} from '../scenarios/profiles';
import { test } from './fixtures';

// The OAuth host is the sandbox's own http://127.0.0.1:PORT, entered for each profile. The popup page reads
// storage.local itself (Firefox gives extension pages `chrome` with promises too).
test('two profiles for two apps, refreshed alternately and concurrently, each keep their own rotated refresh token', ({
  popup,
  sandbox,
}) =>
  twoProfilesAlternatelyAndConcurrently({
    popup,
    sandbox,
    oauthHost: sandbox.url,
    readLocalStorage: () => popup.page.evaluate(() => chrome.storage.local.get(null)),
  }));

test('a deleted profile comes back whole with Undo', ({ popup, sandbox }) =>
  deleteAndUndo({
    popup,
    sandbox,
    oauthHost: sandbox.url,
    readLocalStorage: () => popup.page.evaluate(() => chrome.storage.local.get(null)),
  }));

test('Duplicate copies the app but never the refresh token or token; Rename keeps the profile', ({
  popup,
  sandbox,
}) =>
  duplicateAndRename({
    popup,
    sandbox,
    oauthHost: sandbox.url,
    readLocalStorage: () => popup.page.evaluate(() => chrome.storage.local.get(null)),
  }));
