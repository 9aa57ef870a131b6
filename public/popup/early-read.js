/* global chrome */
// Explained in src/platform/storage-mirror.ts (EarlyStorage).
const earlyStorage = { read: undefined, changes: [], listener: undefined };
chrome.storage.onChanged.addListener((changes, area) => {
  if (earlyStorage.listener) earlyStorage.listener(changes, area);
  else earlyStorage.changes.push([changes, area]);
});
const readLocal = async () => {
  const local = await chrome.storage.local.get(['data', 'inFlight']);
  const ids = local.data?.schemaVersion === 3 && local.data.profiles;
  if (!Array.isArray(ids) || ids.length === 0) return local;
  return Object.assign(local, await chrome.storage.local.get(ids.map((id) => 'profile:' + id)));
};
earlyStorage.read = Promise.all([readLocal(), chrome.storage.session.get('vaultKey')]);
earlyStorage.read.catch(() => undefined);
globalThis.earlyStorage = earlyStorage;
