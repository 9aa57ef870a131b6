/* global chrome */
// Shipped as is (not bundled), so its explanation lives in src/platform/storage-mirror.ts (EarlyStorage).
const earlyStorage = { read: undefined, changes: [], listener: undefined };
chrome.storage.onChanged.addListener((changes, area) => {
  if (earlyStorage.listener) earlyStorage.listener(changes, area);
  else earlyStorage.changes.push([changes, area]);
});
earlyStorage.read = Promise.all([
  chrome.storage.local.get(['data', 'inFlight']),
  chrome.storage.session.get('vaultKey'),
]);
earlyStorage.read.catch(() => undefined);
globalThis.earlyStorage = earlyStorage;
