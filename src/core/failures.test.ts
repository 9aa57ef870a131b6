import { describe, expect, it } from 'vitest';
import { failure, networkFailure, timeoutFailure } from './failures';
import { ALL_FAILURE_KINDS } from './fixtures/fixtures';

const AT = Date.UTC(2025, 0, 15, 12, 0, 0);

describe('failure', () => {
  it.each(ALL_FAILURE_KINDS)('words %s with a non-empty title and action', (kind) => {
    const f = failure(kind, AT);
    expect(f.kind).toBe(kind);
    expect(f.at).toBe(AT);
    expect(f.title.trim()).not.toBe('');
    expect(f.action.trim()).not.toBe('');
  });

  it('gives every kind its own title', () => {
    const titles = ALL_FAILURE_KINDS.map((kind) => failure(kind, AT).title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('carries the details it is given', () => {
    expect(
      failure('invalid_grant', AT, { status: 400, serverCode: 'invalid_grant', serverMessage: 'used' }),
    ).toEqual({
      kind: 'invalid_grant',
      at: AT,
      title: 'The refresh token was rejected',
      action: expect.stringContaining('authorizing the app again') as unknown,
      status: 400,
      serverCode: 'invalid_grant',
      serverMessage: 'used',
    });
  });

  it('lets details override the standard title and action', () => {
    const f = failure('rate_limited', AT, { title: 'Custom title', action: 'Custom action' });
    expect(f.title).toBe('Custom title');
    expect(f.action).toBe('Custom action');
  });

  it('tells the user that a rate limit leaves stored data unchanged', () => {
    expect(failure('rate_limited', AT).action).toMatch(/unchanged/);
  });

  it('tells the user to authorize again for a rejected refresh token', () => {
    expect(failure('invalid_grant', AT).action).toMatch(/authoriz/);
  });
});

describe('timeoutFailure', () => {
  it('is a timeout that names the number of seconds waited', () => {
    const f = timeoutFailure(AT, 15);
    expect(f.kind).toBe('timeout');
    expect(f.at).toBe(AT);
    expect(f.title).toBe('The OAuth server did not answer within 15 seconds');
    expect(f.action.trim()).not.toBe('');
  });
});

describe('networkFailure', () => {
  it('is a network failure that names the host it could not reach', () => {
    const f = networkFailure(AT, 'app.hellosign.com');
    expect(f.kind).toBe('network');
    expect(f.at).toBe(AT);
    expect(f.title).toBe('Could not reach app.hellosign.com');
    expect(f.action).toMatch(/connection/);
  });
});
