/* global chrome */
// Test-only: another installed extension trying to drive Sign Token Refresher. The test calls `forge` in this
// worker through Playwright; it reports what came back, or the error chrome.runtime.sendMessage threw.
globalThis.forge = async (extensionId, message) => {
  try {
    const answer = await chrome.runtime.sendMessage(extensionId, message);
    return { answered: true, answer: answer === undefined ? 'undefined' : answer };
  } catch (error) {
    return { answered: false, error: String(error && error.message) };
  }
};

globalThis.connect = (extensionId) =>
  new Promise((resolve) => {
    try {
      const port = chrome.runtime.connect(extensionId, { name: 'forged' });
      port.onDisconnect.addListener(() =>
        resolve({ disconnected: true, error: chrome.runtime.lastError?.message ?? '' }),
      );
      port.onMessage.addListener((m) => resolve({ disconnected: false, message: m }));
      port.postMessage({ type: 'getSnapshot', payload: {} });
    } catch (error) {
      resolve({ disconnected: true, error: String(error && error.message) });
    }
  });
