/* global chrome */
/**
 * The popup's storage read, started while the HTML is still being parsed: a classic script in <head>, so it
 * runs before the UI's module graph has even been fetched, and the read (a round trip to the browser
 * process) overlaps the loading and compiling of that graph. The UI takes `globalThis.earlyStorage`
 * (src/platform/storage-mirror.ts) and builds its first frame from the read with the same pure code as
 * every later snapshot, which it keeps current from the change events queued here: the listener is
 * registered before the read starts, so no change between the two is missed. Plain JS outside the bundle on
 * purpose: bundled, it would run only after every module had loaded. The keys must be those of
 * src/platform/storage-keys.ts (a unit test checks). `chrome.*` returns promises for these calls in Chrome's
 * and Firefox's MV3 extension pages.
 */
const earlyStorage = { read: undefined, changes: [], listener: undefined };
chrome.storage.onChanged.addListener((changes, area) => {
  if (earlyStorage.listener) earlyStorage.listener(changes, area);
  else earlyStorage.changes.push([changes, area]);
});
earlyStorage.read = Promise.all([
  chrome.storage.local.get(['data', 'inFlight']),
  chrome.storage.session.get('vaultKey'),
]);
// Unhandled if the page never takes it (the UI failed to load): the UI's own read reports errors.
earlyStorage.read.catch(() => undefined);
globalThis.earlyStorage = earlyStorage;
