import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ownPageSender,
  seedData,
  seedInFlight,
  send,
  storedData,
  storedInFlight,
  storedProfile,
} from '../test-support/worker';

beforeEach(() => {
  vi.resetModules();
});

/** Loads the worker script the way the browser does on a (re)start. */
const startWorker = () => import('./index');

describe('worker start', () => {
  it('registers the message listener synchronously, while the script first runs', async () => {
    await startWorker();
    expect(fakeBrowser.runtime.onMessage.hasListeners()).toBe(true);
    expect(await send('getSnapshot', {})).toMatchObject({ profiles: [], refreshing: [] });
  });

  it('marks a refresh a stopped worker left in flight as interrupted before answering anything', async () => {
    await seedData([storedProfile({ id: 'p-1' })], { 'p-1': { accessToken: 'last-good' } });
    await seedInFlight({ 'p-1': { startedAt: 1 } });
    await startWorker();
    const [snapshot] = await fakeBrowser.runtime.onMessage.trigger(
      { type: 'getSnapshot', payload: {} },
      ownPageSender(),
      () => undefined,
    );
    expect(snapshot).toMatchObject({
      tokens: { 'p-1': { accessToken: 'last-good', lastError: { kind: 'interrupted' } } },
      refreshing: [],
    });
    expect(await storedInFlight()).toEqual({});
    expect((await storedData())?.profiles).toEqual([storedProfile({ id: 'p-1' })]);
  });
});
