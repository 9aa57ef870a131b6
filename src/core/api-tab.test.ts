import { describe, expect, it } from 'vitest';
import { API_TAB_RULE_ID, apiTabStartUrl, apiTabState, type ApiTab } from './api-tab';
import type { Profile } from './profile';
import type { StoredData } from './stored-data';
import type { TokenState } from './token-state';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const TOKEN = 'MDZhYzBlMGI1YzQ0ZjI1ZjYzYmUyNmMzZWQ5ZGNmOGYyNmQxMmMyMmQ2NmNiY2M3NW=';
const TAB: ApiTab = { tabId: 42, profileId: 'p-1' };

function profile(overrides: Partial<Profile> = {}): Profile {
  return {
    id: 'p-1',
    name: 'My API app',
    clientId: 'cc91c61d00f8bb2ece1428035716b',
    clientSecret: '1d14434088507ffa390e6f5528465',
    refreshToken: 'hNTI2MTFmM2VmZDQxZTZjOWRmZmFjZmVmMGMyNGFjMzI2MGI5YzgzNmE3',
    oauthHost: 'https://app.hellosign.com',
    clientAuth: 'body',
    ...overrides,
  };
}

type Data = Pick<StoredData, 'activeProfileId' | 'profiles' | 'tokens'>;

function data(overrides: Partial<Data> = {}): Data {
  return {
    activeProfileId: 'p-1',
    profiles: [profile(), profile({ id: 'p-2', name: 'Staging' })],
    tokens: { 'p-1': { accessToken: TOKEN, tokenType: 'bearer', expiresAt: NOW + 3_600_000 } },
    ...overrides,
  };
}

/** The one rule the feature may ever write, for `tabId`, `host` and `token`: nothing more, nothing less. */
function ruleFor(tabId: number, host: string, token: string, origin = `https://${host}`) {
  return {
    id: API_TAB_RULE_ID,
    priority: 1,
    action: {
      type: 'modifyHeaders',
      requestHeaders: [{ header: 'Authorization', operation: 'set', value: `Bearer ${token}` }],
    },
    condition: {
      tabIds: [tabId],
      requestDomains: [host],
      urlFilter: `|${origin}/`,
      requestMethods: ['get'],
      resourceTypes: ['main_frame'],
    },
  };
}

describe('apiTabState: no rule', () => {
  it('when the profile was deleted', () => {
    const state = apiTabState(
      TAB,
      data({ profiles: [profile({ id: 'p-2' })], activeProfileId: 'p-2' }),
      false,
      NOW,
    );
    expect(state).toEqual({ kind: 'none', why: 'its profile was deleted' });
  });

  it('when no profile is left at all', () => {
    expect(apiTabState(TAB, data({ profiles: [], activeProfileId: null, tokens: {} }), false, NOW)).toEqual({
      kind: 'none',
      why: 'its profile was deleted',
    });
  });

  it('when another profile is active (a switch), even with a valid token', () => {
    expect(apiTabState(TAB, data({ activeProfileId: 'p-2' }), false, NOW)).toEqual({
      kind: 'none',
      why: '“My API app” is no longer the active profile',
    });
  });

  it('when no profile is active', () => {
    expect(apiTabState(TAB, data({ activeProfileId: null }), false, NOW)).toMatchObject({ kind: 'none' });
  });

  it('when the vault is locked, whatever the locked view still holds', () => {
    expect(apiTabState(TAB, data(), true, NOW)).toEqual({ kind: 'none', why: 'the secrets are locked' });
  });

  it('when the profile has no token state, or one without an access token (e.g. only a failure)', () => {
    const why = '“My API app” has no access token';
    expect(apiTabState(TAB, data({ tokens: {} }), false, NOW)).toEqual({ kind: 'none', why });
    const failedOnly: TokenState = { lastAttemptAt: NOW - 1000 };
    expect(apiTabState(TAB, data({ tokens: { 'p-1': failedOnly } }), false, NOW)).toEqual({
      kind: 'none',
      why,
    });
    expect(apiTabState(TAB, data({ tokens: { 'p-1': { accessToken: '' } } }), false, NOW)).toEqual({
      kind: 'none',
      why,
    });
  });

  it('never carries another profile’s token', () => {
    const tokens = { 'p-2': { accessToken: 'the-other-profiles-token', expiresAt: NOW + 3_600_000 } };
    expect(apiTabState(TAB, data({ tokens }), false, NOW)).toMatchObject({ kind: 'none' });
    expect(apiTabState(TAB, data({ tokens, activeProfileId: 'p-2' }), false, NOW)).toMatchObject({
      kind: 'none',
    });
  });

  it('when the token expired: at the very millisecond of expiry and after', () => {
    const why = 'the access token of “My API app” has expired';
    const at = (expiresAt: number) => data({ tokens: { 'p-1': { accessToken: TOKEN, expiresAt } } });
    expect(apiTabState(TAB, at(NOW), false, NOW)).toEqual({ kind: 'none', why });
    expect(apiTabState(TAB, at(NOW - 1), false, NOW)).toEqual({ kind: 'none', why });
  });

  it('checks in order: deleted, then not active, then locked, then token', () => {
    // Locked and switched away: the switch is the reason given.
    expect(apiTabState(TAB, data({ activeProfileId: 'p-2' }), true, NOW)).toMatchObject({
      why: '“My API app” is no longer the active profile',
    });
    // Locked, so the locked view has no token: "locked" is the reason, not "no token".
    expect(apiTabState(TAB, data({ tokens: {} }), true, NOW)).toEqual({
      kind: 'none',
      why: 'the secrets are locked',
    });
  });
});

describe('apiTabState: the rule', () => {
  it('is exactly one header set on GET main-frame requests to api.hellosign.com (derived default) in that tab', () => {
    const state = apiTabState(TAB, data(), false, NOW);
    expect(state).toEqual({
      kind: 'carries',
      profileName: 'My API app',
      expiresAt: NOW + 3_600_000,
      rule: ruleFor(42, 'api.hellosign.com', TOKEN),
    });
  });

  it('is valid one millisecond before expiry', () => {
    const tokens = { 'p-1': { accessToken: TOKEN, expiresAt: NOW + 1 } };
    expect(apiTabState(TAB, data({ tokens }), false, NOW)).toMatchObject({
      kind: 'carries',
      expiresAt: NOW + 1,
    });
  });

  it('says "Bearer" whatever case the token type came in', () => {
    for (const tokenType of ['bearer', 'BEARER', 'Bearer', undefined]) {
      const tokens = { 'p-1': { accessToken: TOKEN, ...(tokenType ? { tokenType } : {}) } };
      const state = apiTabState(TAB, data({ tokens }), false, NOW);
      if (state.kind !== 'carries') throw new Error(`no rule for token type ${tokenType}`);
      expect(state.rule.action.requestHeaders).toEqual([
        { header: 'Authorization', operation: 'set', value: `Bearer ${TOKEN}` },
      ]);
    }
  });

  it('has no expiresAt, and carries the token, when the server gave no expiry', () => {
    const state = apiTabState(TAB, data({ tokens: { 'p-1': { accessToken: TOKEN } } }), false, NOW);
    expect(state).toEqual({
      kind: 'carries',
      profileName: 'My API app',
      rule: ruleFor(42, 'api.hellosign.com', TOKEN),
    });
    expect(state).not.toHaveProperty('expiresAt');
  });

  it('names the tab it was asked for, and no other', () => {
    const state = apiTabState({ tabId: 7, profileId: 'p-1' }, data(), false, NOW);
    expect(state.kind === 'carries' && state.rule.condition.tabIds).toEqual([7]);
  });

  it('is for the API origin of a sandbox OAuth host (127.0.0.1): its scheme and port too, by the URL filter', () => {
    const sandbox = profile({ oauthHost: 'http://127.0.0.1:8443' });
    const state = apiTabState(TAB, data({ profiles: [sandbox] }), false, NOW);
    expect(state).toMatchObject({
      kind: 'carries',
      rule: ruleFor(42, '127.0.0.1', TOKEN, 'http://127.0.0.1:8443'),
    });
  });

  it('is for an explicit API host when the profile has one', () => {
    const own = profile({ oauthHost: 'https://app.example.test', apiHost: 'https://api.example.test:4443' });
    const state = apiTabState(TAB, data({ profiles: [own] }), false, NOW);
    expect(state).toMatchObject({
      kind: 'carries',
      rule: ruleFor(42, 'api.example.test', TOKEN, 'https://api.example.test:4443'),
    });
  });

  it('carries the token of the tab’s own profile when it is the active one', () => {
    const tab: ApiTab = { tabId: 9, profileId: 'p-2' };
    const tokens = {
      'p-1': { accessToken: 'first-profiles-token' },
      'p-2': { accessToken: 'second-profiles-token', expiresAt: NOW + 60_000 },
    };
    const state = apiTabState(tab, data({ activeProfileId: 'p-2', tokens }), false, NOW);
    expect(state).toEqual({
      kind: 'carries',
      profileName: 'Staging',
      expiresAt: NOW + 60_000,
      rule: ruleFor(9, 'api.hellosign.com', 'second-profiles-token'),
    });
  });
});

describe('apiTabStartUrl', () => {
  it('is /v3/account on the API host derived from the default OAuth host', () => {
    expect(apiTabStartUrl(profile())).toBe('https://api.hellosign.com/v3/account');
  });

  it('is /v3/account on a sandbox OAuth host (the same host plays the API)', () => {
    expect(apiTabStartUrl(profile({ oauthHost: 'http://127.0.0.1:8443' }))).toBe(
      'http://127.0.0.1:8443/v3/account',
    );
  });

  it('is /v3/account on an explicit API host', () => {
    expect(
      apiTabStartUrl(profile({ oauthHost: 'https://app.example.test', apiHost: 'https://api.example.test' })),
    ).toBe('https://api.example.test/v3/account');
  });
});
