/* global chrome */
/**
 * The popup's storage read, started while the HTML is still being parsed: a classic script in <head>, so it
 * runs before the UI's module graph has even been fetched, and the read (a round trip to the browser
 * process) overlaps the loading and compiling of that graph. The UI takes the promise from
 * `globalThis.earlyStorageRead` (src/popup/first-read.ts) and builds its first frame from it with the same
 * pure code as every later read. Plain JS outside the bundle on purpose: bundled, it would run only after
 * every module had loaded. The keys must be those of src/platform/storage-keys.ts (a unit test checks).
 * `chrome.*` returns promises for these calls in Chrome's and Firefox's MV3 extension pages.
 */
globalThis.earlyStorageRead = Promise.all([
  chrome.storage.local.get(['data', 'inFlight']),
  chrome.storage.session.get('vaultKey'),
]);
// Unhandled if the page never takes it (the UI failed to load): the UI's own read reports errors.
globalThis.earlyStorageRead.catch(() => undefined);
