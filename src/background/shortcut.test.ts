import { beforeEach, describe, expect, it, vi } from 'vitest';
import { REFRESH_COMMAND } from '../platform/commands';
import { pressShortcut } from '../test-support/fake-browser';
import {
  seedData,
  sentJson,
  storedData,
  storedProfile,
  stubFetch,
  tokenResponse,
} from '../test-support/worker';

let refreshActiveProfile: typeof import('./shortcut').refreshActiveProfile;

beforeEach(async () => {
  vi.resetModules();
  await import('./index'); // the worker's start: its listeners registered at the top level
  ({ refreshActiveProfile } = await import('./shortcut'));
});

describe('the "Refresh the active profile’s token" shortcut', () => {
  it('refreshes the active profile, not another, and stores the answer with no page open', async () => {
    // The first profile seeded is the active one.
    await seedData([
      storedProfile({ id: 'p-2', refreshToken: 'refresh-token-of-p-2' }),
      storedProfile({ id: 'p-1' }),
    ]);
    const fetch = stubFetch(() => tokenResponse({ access_token: 'token-from-the-shortcut' }));

    pressShortcut(REFRESH_COMMAND);

    await vi.waitFor(async () => {
      expect((await storedData())?.tokens['p-2']?.accessToken).toBe('token-from-the-shortcut');
    });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(sentJson(fetch)).toMatchObject({ refresh_token: 'refresh-token-of-p-2' });
    expect((await storedData())?.tokens['p-1']).toBeUndefined();
  });

  it('sends nothing when there is no profile', async () => {
    const fetch = stubFetch(() => tokenResponse());
    expect(await refreshActiveProfile()).toBeUndefined();
    expect(fetch).not.toHaveBeenCalled();
  });
});
