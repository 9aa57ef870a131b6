import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXPIRY_WARNED_KEY } from './storage-keys';
import { onNotificationClicked, takeUnwarned } from './notifications';

const notificationsApi = fakeBrowser.notifications;

afterEach(() => {
  Object.assign(fakeBrowser, { notifications: notificationsApi });
});

describe('onNotificationClicked', () => {
  it('does not throw where the namespace is there but undefined (Firefox before the grant), and listens after the grant', async () => {
    Object.assign(fakeBrowser, { notifications: undefined });
    const grants: (() => void)[] = [];
    vi.spyOn(fakeBrowser.permissions.onAdded, 'addListener').mockImplementation((listener) => {
      grants.push(listener as () => void);
    });
    const clicked = vi.fn();
    expect(() => {
      onNotificationClicked(clicked);
    }).not.toThrow();

    Object.assign(fakeBrowser, { notifications: notificationsApi });
    for (const grant of grants) grant();
    await fakeBrowser.notifications.onClicked.trigger('sign-token-refresher:failed');
    expect(clicked).toHaveBeenCalledWith('sign-token-refresher:failed');
  });
});

describe('takeUnwarned', () => {
  it('gives each token once, and a profile’s next token again', async () => {
    expect(await takeUnwarned({ a: 1000, b: 2000 })).toEqual(['a', 'b']);
    expect(await takeUnwarned({ a: 1000, b: 2000 })).toEqual([]);
    expect(await takeUnwarned({ a: 1000, b: 3000 })).toEqual(['b']);
    expect((await fakeBrowser.storage.local.get(EXPIRY_WARNED_KEY))[EXPIRY_WARNED_KEY]).toEqual({
      a: 1000,
      b: 3000,
    });
  });
});
