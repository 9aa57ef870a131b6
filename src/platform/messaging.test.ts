import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppSnapshot, RefreshReply, SaveProfileReply } from '../core/protocol';
import {
  CLIENT_SECRET,
  ownPageSender,
  profileInput,
  storedData,
  storedProfile,
  stubFetch,
  tokenResponse,
} from '../test-support/worker';
import { isOwnPage, listenForMessages, type Handlers } from './message-listener';
import { NoAnswerError, sendMessage, WorkerFailedError } from './messaging';

const SNAPSHOT: AppSnapshot = {
  activeProfileId: null,
  profiles: [],
  tokens: {},
  refreshing: [],
  vault: { enabled: false, unlocked: false, sealedAfterClear: false, autoLockMinutes: null },
};
const SAVED: SaveProfileReply = { ok: true, profileId: 'p-1', profile: storedProfile(), warnings: {} };
const REFRESHED: RefreshReply = { ok: true, token: { accessToken: 'a' } };

function stubHandlers() {
  return {
    getSnapshot: vi.fn<Handlers['getSnapshot']>(() => Promise.resolve(SNAPSHOT)),
    saveProfile: vi.fn<Handlers['saveProfile']>(() => Promise.resolve(SAVED)),
    refresh: vi.fn<Handlers['refresh']>(() => Promise.resolve(REFRESHED)),
    unlockVault: vi.fn<Handlers['unlockVault']>(() => Promise.resolve({ ok: true })),
    lockVault: vi.fn<Handlers['lockVault']>(() => Promise.resolve({ ok: true })),
    setPassphrase: vi.fn<Handlers['setPassphrase']>(() => Promise.resolve({ ok: true })),
    removePassphrase: vi.fn<Handlers['removePassphrase']>(() => Promise.resolve({ ok: true })),
    setAutoLock: vi.fn<Handlers['setAutoLock']>(() => Promise.resolve({ ok: true })),
    createProfile: vi.fn<Handlers['createProfile']>(() => Promise.resolve({ ok: true, profileId: 'p-1' })),
    duplicateProfile: vi.fn<Handlers['duplicateProfile']>(() =>
      Promise.resolve({ ok: true, profileId: 'p-1' }),
    ),
    renameProfile: vi.fn<Handlers['renameProfile']>(() => Promise.resolve({ ok: true, profileId: 'p-1' })),
    deleteProfile: vi.fn<Handlers['deleteProfile']>(() => Promise.resolve({ ok: true, profileId: null })),
    restoreProfile: vi.fn<Handlers['restoreProfile']>(() => Promise.resolve({ ok: true, profileId: 'p-1' })),
    switchProfile: vi.fn<Handlers['switchProfile']>(() => Promise.resolve({ ok: true, profileId: 'p-1' })),
    setAutoRefresh: vi.fn<Handlers['setAutoRefresh']>(() => Promise.resolve({ ok: true, profileId: 'p-1' })),
    authorize: vi.fn<Handlers['authorize']>(() => Promise.resolve({ ok: true, token: {} })),
    beginAuthorization: vi.fn<Handlers['beginAuthorization']>(() =>
      Promise.resolve({ ok: true, url: 'https://app.hellosign.com/oauth/authorize' }),
    ),
    useAuthorizationCode: vi.fn<Handlers['useAuthorizationCode']>(() =>
      Promise.resolve({ ok: true, token: {} }),
    ),
    importProfiles: vi.fn<Handlers['importProfiles']>(() => Promise.resolve({ ok: true, added: [] })),
    verifyToken: vi.fn<Handlers['verifyToken']>(() =>
      Promise.resolve({ ok: false, reason: 'no_token', message: 'none' }),
    ),
    getHistory: vi.fn<Handlers['getHistory']>(() => Promise.resolve({ ok: true, history: [] })),
    clearHistory: vi.fn<Handlers['clearHistory']>(() => Promise.resolve({ ok: true, history: [] })),
    openApiTab: vi.fn<Handlers['openApiTab']>(() => Promise.resolve({ ok: true, tabId: 1 })),
  };
}

let handlers: ReturnType<typeof stubHandlers>;

beforeEach(() => {
  handlers = stubHandlers();
  listenForMessages(handlers);
});

async function deliver(message: unknown, sender: { id?: string; url?: string }) {
  const answers = await fakeBrowser.runtime.onMessage.trigger(message, sender, () => undefined);
  expect(answers).toHaveLength(1);
  return answers[0] as unknown;
}

function expectNoHandlerCalled() {
  expect(handlers.getSnapshot).not.toHaveBeenCalled();
  expect(handlers.saveProfile).not.toHaveBeenCalled();
  expect(handlers.refresh).not.toHaveBeenCalled();
  expect(handlers.unlockVault).not.toHaveBeenCalled();
  expect(handlers.lockVault).not.toHaveBeenCalled();
  expect(handlers.setPassphrase).not.toHaveBeenCalled();
  expect(handlers.removePassphrase).not.toHaveBeenCalled();
}

const OWN_ID = fakeBrowser.runtime.id;
const REFRESH = { type: 'refresh', payload: { profileId: 'p-1' } };

describe('listenForMessages', () => {
  it('answers the extension’s own page with the handler’s reply', async () => {
    expect(await deliver(REFRESH, ownPageSender())).toEqual(REFRESHED);
    expect(handlers.refresh).toHaveBeenCalledWith({ profileId: 'p-1' });
  });

  it('dispatches each message type to its own handler with its payload', async () => {
    const profile = profileInput();
    expect(await deliver({ type: 'getSnapshot', payload: {} }, ownPageSender())).toEqual(SNAPSHOT);
    expect(await deliver({ type: 'saveProfile', payload: { profile } }, ownPageSender())).toEqual(SAVED);
    expect(handlers.saveProfile).toHaveBeenCalledWith({ profile });
    expect(handlers.getSnapshot).toHaveBeenCalledTimes(1);
  });

  it('treats a getSnapshot without payload as an empty one', async () => {
    expect(await deliver({ type: 'getSnapshot' }, ownPageSender())).toEqual(SNAPSHOT);
    expect(handlers.getSnapshot).toHaveBeenCalledWith({});
  });

  it.each([
    [
      'another extension',
      { id: 'other-extension-id', url: 'chrome-extension://other-extension-id/popup.html' },
    ],
    [
      'another extension posing with this one’s page URL',
      { id: 'other-extension-id', url: ownPageSender().url },
    ],
    ['a sender without an id (a web page)', { url: ownPageSender().url }],
    ['this extension but without a URL', { id: OWN_ID }],
    ['a content script of this extension on a web page', { id: OWN_ID, url: 'https://evil.example/page' }],
    ['a look-alike origin', { id: OWN_ID, url: `chrome-extension://${OWN_ID}-evil/page.html` }],
    ['a URL that is not a string', { id: OWN_ID, url: 42 as unknown as string }],
  ])('ignores a message from %s: no answer and no handler runs', async (_who, sender) => {
    expect(await deliver(REFRESH, sender)).toBeUndefined();
    expectNoHandlerCalled();
  });

  it.each([
    ['null', null],
    ['a string', 'refresh'],
    ['an array', [REFRESH]],
    ['an unknown type', { type: 'deleteEverything', payload: {} }],
    ['a type inherited from Object.prototype', { type: 'toString', payload: {} }],
    ['a type that is not a string', { type: 1, payload: {} }],
    ['a refresh without profile id', { type: 'refresh', payload: {} }],
    ['a refresh with an empty profile id', { type: 'refresh', payload: { profileId: '' } }],
    ['a refresh with a numeric profile id', { type: 'refresh', payload: { profileId: 7 } }],
    ['a payload that is an array', { type: 'getSnapshot', payload: [] }],
    ['a saveProfile without a profile', { type: 'saveProfile', payload: {} }],
    [
      'a saveProfile with a non-text field',
      { type: 'saveProfile', payload: { profile: { name: { $gt: '' } } } },
    ],
  ])('ignores a malformed message (%s): no answer and no handler runs', async (_what, message) => {
    expect(await deliver(message, ownPageSender())).toBeUndefined();
    expectNoHandlerCalled();
  });
});

describe('listenForMessages with the real worker handlers', () => {
  beforeEach(async () => {
    // In place of the stub handlers the outer beforeEach registered.
    fakeBrowser.runtime.onMessage.removeAllListeners();
    const { handlers: real } = await import('../background/handlers');
    listenForMessages(real);
  });

  it('changes nothing for a save or refresh from a web page', async () => {
    const fetchSpy = stubFetch(() => tokenResponse());
    const page = { id: OWN_ID, url: 'https://evil.example/' };
    expect(
      await deliver({ type: 'saveProfile', payload: { profile: profileInput() } }, page),
    ).toBeUndefined();
    expect(await deliver(REFRESH, page)).toBeUndefined();
    expect(await storedData()).toBeUndefined();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('saves a profile sent by the extension’s own page', async () => {
    const reply = await deliver(
      { type: 'saveProfile', payload: { profile: profileInput() } },
      ownPageSender(),
    );
    expect(reply).toMatchObject({ ok: true });
    expect((await storedData())?.profiles).toHaveLength(1);
  });
});

describe('a handler that fails', () => {
  it('is logged by its error’s name only, and the page gets a failure it can tell from no answer', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    handlers.getSnapshot.mockRejectedValue(new RangeError(`bad value near ${CLIENT_SECRET}`));
    const answer = fakeBrowser.runtime.onMessage.trigger(
      { type: 'getSnapshot' },
      ownPageSender(),
      () => undefined,
    );
    const rejection = await answer.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(rejection).toBeInstanceOf(Error);
    expect(JSON.stringify(errors.mock.calls)).toContain('getSnapshot');
    expect(JSON.stringify(errors.mock.calls)).toContain('RangeError');
    expect(JSON.stringify(errors.mock.calls)).not.toContain(CLIENT_SECRET);
    expect((rejection as Error).message).not.toContain(CLIENT_SECRET);

    // What the page's sendMessage makes of that rejection, as the browser hands it over:
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockRejectedValue(rejection);
    const failed = await sendMessage('getSnapshot', {}).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(WorkerFailedError);
    expect((failed as WorkerFailedError).reason).toBe('RangeError');
  });
});

describe('isOwnPage', () => {
  it('accepts any page under the extension’s origin', () => {
    expect(isOwnPage({ id: OWN_ID, url: fakeBrowser.runtime.getURL('options.html') })).toBe(true);
  });
});

describe('sendMessage', () => {
  it('says the worker did not answer when no listener answered or the browser could not reach it', async () => {
    const send = vi.spyOn(fakeBrowser.runtime, 'sendMessage');
    send.mockResolvedValueOnce(undefined);
    await expect(sendMessage('getSnapshot', {})).rejects.toBeInstanceOf(NoAnswerError);
    send.mockRejectedValueOnce(new Error('Could not establish connection. Receiving end does not exist.'));
    await expect(sendMessage('getSnapshot', {})).rejects.toBeInstanceOf(NoAnswerError);
  });

  it('sends a typed envelope and returns the answer', async () => {
    fakeBrowser.runtime.onMessage.removeAllListeners();
    const received: unknown[] = [];
    fakeBrowser.runtime.onMessage.addListener((message: unknown, _sender, sendResponse) => {
      received.push(message);
      sendResponse(REFRESHED);
      return true;
    });
    expect(await sendMessage('refresh', { profileId: 'p-1' })).toEqual(REFRESHED);
    expect(received).toEqual([{ type: 'refresh', payload: { profileId: 'p-1' } }]);
  });
});
