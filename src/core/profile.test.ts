import { describe, expect, it } from 'vitest';
import { CLIENT_AUTH_MODES, DEFAULT_OAUTH_HOST, DEFAULT_PROFILE_NAME, newProfileId } from './profile';

describe('profile', () => {
  it('offers the three client authentication modes, body first (the default, what the SDKs do)', () => {
    expect(CLIENT_AUTH_MODES).toEqual(['body', 'basic', 'both']);
  });

  it('defaults to the real OAuth host, an origin without a trailing slash', () => {
    expect(DEFAULT_OAUTH_HOST).toBe('https://app.hellosign.com');
    expect(new URL(DEFAULT_OAUTH_HOST).origin).toBe(DEFAULT_OAUTH_HOST);
  });

  it('has a default profile name', () => {
    expect(DEFAULT_PROFILE_NAME.trim()).not.toBe('');
  });

  it('makes profile ids as p-<random>', () => {
    expect(newProfileId(() => 'abc')).toBe('p-abc');
  });

  it('makes distinct UUID-based ids by default', () => {
    const a = newProfileId();
    const b = newProfileId();
    expect(a).toMatch(/^p-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });
});
