import {
  deleteAndUndo,
  duplicateAndRename,
  twoProfilesAlternatelyAndConcurrently,
} from '../scenarios/profiles';
import { test } from './fixtures';

// Two sandbox apps behind the default https://app.hellosign.com (see launch.ts). The popup page reads
// storage.local itself: an extension page may.
test('two profiles for two apps, refreshed alternately and concurrently, each keep their own rotated refresh token', ({
  popup,
  sandbox,
}) =>
  twoProfilesAlternatelyAndConcurrently({
    popup,
    sandbox,
    readLocalStorage: () => popup.page.evaluate(() => chrome.storage.local.get(null)),
  }));

test('a deleted profile comes back whole with Undo', ({ popup, sandbox }) =>
  deleteAndUndo({
    popup,
    sandbox,
    readLocalStorage: () => popup.page.evaluate(() => chrome.storage.local.get(null)),
  }));

test('Duplicate copies the app but never the refresh token or token; Rename keeps the profile', ({
  popup,
  sandbox,
}) =>
  duplicateAndRename({
    popup,
    sandbox,
    readLocalStorage: () => popup.page.evaluate(() => chrome.storage.local.get(null)),
  }));
