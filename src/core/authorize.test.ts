import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUTHORIZE_PROBLEMS,
  authorizeProblemWords,
  buildAuthorizeUrl,
  buildCodeExchangeRequest,
  checkState,
  codeExchangeAdvice,
  isState,
  newState,
  parseCallback,
  type CallbackInput,
} from './authorize';
import type { ClientAuthMode } from './profile';
import { MASK } from './redact';
import { describeRequest } from './refresh-request';

/** Property runs take a few hundred ms alone, but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

// The values of the vendor's OAuthTokenGenerateRequest example.
const CODE = '1b0d28d90c86c141';
const STATE = '900e06e2';
const CLIENT_ID = 'cc91c61d00f8bb2ece1428035716b';
const CLIENT_SECRET = '1d14434088507ffa390e6f5528465';

const CHROME_CALLBACK = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const FIREFOX_CALLBACK = 'https://0123456789abcdef0123456789abcdef01234567.extensions.allizom.org/';

/** A repeatable random source (mulberry32), so "distinct values" is tested without flakiness. */
function seededBytes(seed: number): (n: number) => Uint8Array {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return (n) => Uint8Array.from({ length: n }, () => next() & 0xff);
}

const fromBase64url = (text: string) => Buffer.from(text, 'base64url');

function profile(clientAuth: ClientAuthMode, overrides: { clientId?: string; clientSecret?: string } = {}) {
  return {
    oauthHost: 'https://app.hellosign.com',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    clientAuth,
    ...overrides,
  };
}

const bodyOf = (spec: { body: string }) => JSON.parse(spec.body) as Record<string, unknown>;
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function expectInvalid(result: CallbackInput): string {
  expect(result.kind).toBe('invalid');
  return result.kind === 'invalid' ? result.problem : '';
}

describe('buildAuthorizeUrl', () => {
  it('is {host}/oauth/authorize with response_type=code, the client id and the state, in that order', () => {
    expect(buildAuthorizeUrl('https://app.hellosign.com', CLIENT_ID, STATE)).toBe(
      `https://app.hellosign.com/oauth/authorize?response_type=code&client_id=${CLIENT_ID}&state=${STATE}`,
    );
  });

  it('drops trailing slashes on the host instead of doubling them', () => {
    expect(buildAuthorizeUrl('https://app.hellosign.com/', CLIENT_ID, STATE)).toBe(
      buildAuthorizeUrl('https://app.hellosign.com', CLIENT_ID, STATE),
    );
    expect(buildAuthorizeUrl('http://127.0.0.1:8443//', 'id', 's')).toBe(
      'http://127.0.0.1:8443/oauth/authorize?response_type=code&client_id=id&state=s',
    );
  });

  it('percent-encodes the client id and state, so neither can add or change a parameter', () => {
    const url = new URL(buildAuthorizeUrl('https://app.hellosign.com', 'a&scope=x', 's t#=?&'));
    expect(url.searchParams.get('client_id')).toBe('a&scope=x');
    expect(url.searchParams.get('state')).toBe('s t#=?&');
    expect([...url.searchParams.keys()]).toEqual(['response_type', 'client_id', 'state']);
    expect(url.hash).toBe('');
  });

  it(
    'never has a scope parameter and always carries the state (property)',
    () => {
      fc.assert(
        fc.property(fc.string(), fc.string(), (clientId, state) => {
          const url = new URL(buildAuthorizeUrl('https://app.hellosign.com', clientId, state));
          expect(url.pathname).toBe('/oauth/authorize');
          expect(url.searchParams.has('scope')).toBe(false);
          expect(url.searchParams.getAll('state')).toEqual([state]);
          expect(url.searchParams.getAll('client_id')).toEqual([clientId]);
          expect(url.searchParams.get('response_type')).toBe('code');
        }),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('newState and isState', () => {
  it('asks for 32 bytes and gives 43 base64url characters (256 bits)', () => {
    const asked: number[] = [];
    const state = newState((n) => {
      asked.push(n);
      return seededBytes(1)(n);
    });
    expect(asked).toEqual([32]);
    expect(state).toHaveLength(43);
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(isState(state)).toBe(true);
  });

  it('encodes exactly the bytes it was given, without padding', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
    const state = newState(() => bytes);
    expect(state).not.toContain('=');
    expect([...fromBase64url(state)]).toEqual([...bytes]);
  });

  it('gives distinct values from a random source', () => {
    const random = seededBytes(42);
    const states = Array.from({ length: 1000 }, () => newState(random));
    expect(new Set(states).size).toBe(1000);
    expect(states.every(isState)).toBe(true);
  });

  it('throws on a random source that gives fewer bytes than asked: a short state would be guessable', () => {
    expect(() => newState(() => new Uint8Array(16))).toThrow(/32/);
  });

  it('isState accepts only the shape newState makes', () => {
    const state = newState(seededBytes(7));
    expect(isState(state.slice(1))).toBe(false);
    expect(isState(`${state}A`)).toBe(false);
    expect(isState(`${state.slice(0, 42)}=`)).toBe(false);
    expect(isState(`+${state.slice(1)}`)).toBe(false);
    expect(isState(`/${state.slice(1)}`)).toBe(false);
    // The last character holds 4 bits and 2 zero bits: 'B' has a spare bit set, newState never ends with it.
    expect(isState(`${state.slice(0, 42)}B`)).toBe(false);
    expect(isState('')).toBe(false);
    expect(isState(undefined)).toBe(false);
    expect(isState(42)).toBe(false);
    expect(isState({ state })).toBe(false);
  });

  it(
    'always makes a state isState accepts, which decodes back to the bytes (property)',
    () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
          const state = newState(() => bytes);
          expect(isState(state)).toBe(true);
          expect([...fromBase64url(state)]).toEqual([...bytes]);
        }),
        { numRuns: 500 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('parseCallback: what a successful authorization sends back', () => {
  it('reads code and state from the Chrome identity callback address', () => {
    expect(parseCallback(`${CHROME_CALLBACK}?code=${CODE}&state=${STATE}`)).toEqual({
      kind: 'code',
      code: CODE,
      state: STATE,
    });
  });

  it('reads code and state from the Firefox identity callback address', () => {
    expect(parseCallback(`${FIREFOX_CALLBACK}?state=${STATE}&code=${CODE}`)).toEqual({
      kind: 'code',
      code: CODE,
      state: STATE,
    });
  });

  it('reads any http(s) address, e.g. a callback registered on the user’s own server', () => {
    expect(parseCallback(`https://example.com/oauth/cb?foo=1&code=${CODE}&state=${STATE}`)).toEqual({
      kind: 'code',
      code: CODE,
      state: STATE,
    });
    expect(parseCallback(`HTTP://localhost:3000/cb?code=${CODE}`)).toEqual({ kind: 'code', code: CODE });
  });

  it('trims what was pasted around it', () => {
    expect(parseCallback(`\n  ${CHROME_CALLBACK}?code=${CODE}&state=${STATE}\t\n`)).toEqual({
      kind: 'code',
      code: CODE,
      state: STATE,
    });
  });

  it('reads a query string alone, with or without its “?”', () => {
    const expected = { kind: 'code', code: CODE, state: STATE };
    expect(parseCallback(`?code=${CODE}&state=${STATE}`)).toEqual(expected);
    expect(parseCallback(`code=${CODE}&state=${STATE}`)).toEqual(expected);
  });

  it('reads the fragment form some tools produce, alone or in an address', () => {
    const expected = { kind: 'code', code: CODE, state: STATE };
    expect(parseCallback(`#code=${CODE}&state=${STATE}`)).toEqual(expected);
    expect(parseCallback(`${CHROME_CALLBACK}#code=${CODE}&state=${STATE}`)).toEqual(expected);
    expect(parseCallback(`${CHROME_CALLBACK}?unrelated=1#code=${CODE}&state=${STATE}`)).toEqual(expected);
  });

  it('reads a bare code, with no state (the caller checks it as “unchecked”)', () => {
    expect(parseCallback(CODE)).toEqual({ kind: 'code', code: CODE, bare: true });
    expect(parseCallback(` ${CODE}\n`)).toEqual({ kind: 'code', code: CODE, bare: true });
    expect(parseCallback('aB3-_.~z')).toEqual({ kind: 'code', code: 'aB3-_.~z', bare: true });
  });

  it('percent-decodes the code and state of an address', () => {
    expect(parseCallback(`${CHROME_CALLBACK}?code=ab%2Bc%3D&state=s%20t`)).toEqual({
      kind: 'code',
      code: 'ab+c=',
      state: 's t',
    });
  });

  it('keeps an empty state as given, so the state check refuses it rather than calling it absent', () => {
    expect(parseCallback(`${CHROME_CALLBACK}?code=${CODE}&state=`)).toEqual({
      kind: 'code',
      code: CODE,
      state: '',
    });
  });
});

describe('parseCallback: an authorization that was refused', () => {
  it('reads error=access_denied with its description and state', () => {
    expect(
      parseCallback(
        `${CHROME_CALLBACK}?error=access_denied&error_description=The+user+denied+access.&state=${STATE}`,
      ),
    ).toEqual({
      kind: 'error',
      error: 'access_denied',
      description: 'The user denied access.',
      state: STATE,
    });
  });

  it('reads an error without a description or state', () => {
    expect(parseCallback('?error=invalid_request')).toEqual({ kind: 'error', error: 'invalid_request' });
  });

  it('puts the description on one short line, without control or invisible characters', () => {
    const result = parseCallback(`?error=x&error_description=${encodeURIComponent(`a\u0000b\n\u202Ec  `)}`);
    expect(result).toEqual({ kind: 'error', error: 'x', description: 'a b c' });
    const long = parseCallback(`?error=x&error_description=${'d'.repeat(1000)}`);
    expect(long).toEqual({ kind: 'error', error: 'x', description: `${'d'.repeat(300)}…` });
  });

  it('refuses an address with both a code and an error: Dropbox Sign never sends both', () => {
    expect(expectInvalid(parseCallback(`${CHROME_CALLBACK}?code=${CODE}&error=access_denied`))).toMatch(
      /both a code and an error/,
    );
  });
});

describe('parseCallback: what cannot be read', () => {
  it.each(['code', 'state', 'error', 'error_description'])(
    'refuses a repeated “%s” as ambiguous, possibly tampered',
    (key) => {
      const query = `code=${CODE}&state=${STATE}&${key}=one&${key}=other`;
      expect(expectInvalid(parseCallback(`${CHROME_CALLBACK}?${query}`))).toMatch(/more than once/);
      expect(expectInvalid(parseCallback(query))).toMatch(/more than once/);
    },
  );

  it('refuses an address with an answer both in its query and in its fragment', () => {
    expect(
      expectInvalid(parseCallback(`${CHROME_CALLBACK}?code=${CODE}&state=${STATE}#code=other&state=x`)),
    ).toMatch(/both after “\?” and after “#”/);
  });

  it('says so when nothing was pasted', () => {
    expect(expectInvalid(parseCallback(''))).toMatch(/Nothing was pasted/);
    expect(expectInvalid(parseCallback(' \n\t '))).toMatch(/Nothing was pasted/);
  });

  it('says so when the address has no code, or an empty one', () => {
    expect(expectInvalid(parseCallback(`${CHROME_CALLBACK}?state=${STATE}`))).toMatch(/no code/);
    expect(expectInvalid(parseCallback(CHROME_CALLBACK))).toMatch(/no code/);
    expect(expectInvalid(parseCallback(`${CHROME_CALLBACK}?code=&state=${STATE}`))).toMatch(/empty/);
  });

  it('recognises the authorization page’s own address, pasted by mistake', () => {
    const authorizeUrl = buildAuthorizeUrl('https://app.hellosign.com', CLIENT_ID, STATE);
    expect(expectInvalid(parseCallback(authorizeUrl))).toMatch(/authorization page/);
  });

  it('refuses addresses that are not http(s): javascript:, data:, file:', () => {
    for (const input of [
      'javascript:alert(1)',
      'JavaScript:fetch("//evil")?code=abcd',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd?code=abcd',
      'chrome-extension://abc/?code=abcd',
    ]) {
      expect(expectInvalid(parseCallback(input))).toMatch(/Only a web address/);
    }
  });

  it('refuses JSON, such as a pasted token response, and points to where its refresh token goes', () => {
    expect(expectInvalid(parseCallback('{"code":"1b0d28d90c86c141"}'))).toMatch(/JSON/);
    expect(expectInvalid(parseCallback('{\n  "refresh_token": "hNTI2"\n}'))).toMatch(/Refresh token/);
    expect(expectInvalid(parseCallback('["abcd"]'))).toMatch(/JSON/);
  });

  it('refuses HTML', () => {
    expect(expectInvalid(parseCallback('<a href="https://x/?code=abcd">x</a>'))).toMatch(/HTML/);
    expect(expectInvalid(parseCallback('<script>alert(1)</script>'))).toMatch(/HTML/);
  });

  it('refuses spaces and line breaks inside', () => {
    expect(expectInvalid(parseCallback('abcd efgh'))).toMatch(/spaces or line breaks/);
    expect(expectInvalid(parseCallback(`${CHROME_CALLBACK}?code=ab cd`))).toMatch(/spaces or line breaks/);
    expect(expectInvalid(parseCallback('abcd\nefgh'))).toMatch(/spaces or line breaks/);
    expect(expectInvalid(parseCallback('abcd\u00a0efgh'))).toMatch(/spaces or line breaks/);
  });

  it('refuses control and invisible characters', () => {
    for (const input of ['abcd\u0000efgh', 'ab\u0007cd', 'abcd\u007f', 'ab\u200bcd', 'ab\u202ecd']) {
      expect(expectInvalid(parseCallback(input))).toMatch(/control or invisible/);
    }
  });

  it('refuses a code with characters an address or code never has', () => {
    expect(expectInvalid(parseCallback('"1b0d28d90c86c141"'))).toMatch(
      /neither a callback address nor a code/,
    );
    expect(expectInvalid(parseCallback("'abcd'"))).toMatch(/neither/);
    expect(expectInvalid(parseCallback('abc/def'))).toMatch(/neither/);
    expect(expectInvalid(parseCallback('ab✓cd'))).toMatch(/neither/);
    expect(expectInvalid(parseCallback(`?code=%3Cscript%3E&state=${STATE}`))).toMatch(/not one Dropbox Sign/);
    expect(expectInvalid(parseCallback(`?code=ab%00cd`))).toMatch(/not one Dropbox Sign/);
  });

  it('refuses a code too short or too long to be real', () => {
    expect(expectInvalid(parseCallback('abc'))).toMatch(/too short/);
    expect(expectInvalid(parseCallback('a'.repeat(513)))).toMatch(/too long to be a code/);
    expect(parseCallback('a'.repeat(512))).toEqual({ kind: 'code', code: 'a'.repeat(512), bare: true });
    expect(expectInvalid(parseCallback(`?code=${'a'.repeat(513)}`))).toMatch(/not one Dropbox Sign/);
  });

  it('refuses very long input without reading it as anything', () => {
    expect(expectInvalid(parseCallback(`${CHROME_CALLBACK}?code=${CODE}&x=${'y'.repeat(5000)}`))).toMatch(
      /too long/,
    );
    expect(expectInvalid(parseCallback('a'.repeat(1_000_000)))).toMatch(/over 4096 characters/);
  });

  it('refuses an http address that cannot be read', () => {
    expect(expectInvalid(parseCallback('https://exa mple.com/?code=abcd'))).toMatch(/spaces/);
    expect(expectInvalid(parseCallback('http://[::1/?code=abcd'))).toMatch(/could not be read/);
  });

  it('never quotes the code back in a problem', () => {
    const secret = 'c0deS3cretValue9';
    for (const input of [
      `${CHROME_CALLBACK}?code=${secret}&code=${secret}`,
      `${CHROME_CALLBACK}?code=${secret}&error=access_denied`,
      `{"code":"${secret}"}`,
      `<b>${secret}</b>`,
      `${secret} ${secret}`,
      `"${secret}"`,
      `javascript:${secret}`,
      `${secret}\u0000`,
      `${CHROME_CALLBACK}?code=${secret}<`,
      `${CHROME_CALLBACK}?code=${secret}#code=${secret}`,
      `${secret}${'x'.repeat(5000)}`,
    ]) {
      expect(expectInvalid(parseCallback(input))).not.toContain(secret);
    }
  });

  it(
    'never throws, and always answers one of the three kinds, for any string (property)',
    () => {
      const anyText = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc
          .tuple(fc.constantFrom('', '?', '#', CHROME_CALLBACK, `${FIREFOX_CALLBACK}?`), fc.string())
          .map(([prefix, rest]) => `${prefix}code=${rest}`),
      );
      fc.assert(
        fc.property(anyText, (input) => {
          const result = parseCallback(input);
          expect(['code', 'error', 'invalid']).toContain(result.kind);
          if (result.kind === 'invalid') expect(result.problem.length).toBeGreaterThan(10);
        }),
        { numRuns: 2000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'never quotes an invalid input back (property)',
    () => {
      fc.assert(
        fc.property(
          fc.stringMatching(/^[A-Za-z0-9]{12,40}$/).map((s) => `Zq${s}`),
          fc.constantFrom(
            (c: string) => `{"code":"${c}"}`,
            (c: string) => `${c} ${c}`,
            (c: string) => `${CHROME_CALLBACK}?code=${c}&code=${c}`,
            (c: string) => `?code=${c}&error=${c}`,
            (c: string) => `javascript:${c}`,
            (c: string) => `<p>${c}`,
            (c: string) => `?state=${c}`,
          ),
          (secret, wrap) => {
            expect(expectInvalid(parseCallback(wrap(secret)))).not.toContain(secret);
          },
        ),
        { numRuns: 500 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'reads back the code and state of any callback address built from them (property)',
    () => {
      const code = fc.stringMatching(/^[!#-&(-;=?-[\]-_a-~]{4,200}$/);
      const state = fc.oneof(fc.string({ maxLength: 100 }), fc.string({ unit: 'grapheme', maxLength: 20 }));
      fc.assert(
        fc.property(
          fc.constantFrom(CHROME_CALLBACK, FIREFOX_CALLBACK, 'http://127.0.0.1:8443/cb'),
          code,
          fc.option(state, { nil: undefined }),
          (base, c, s) => {
            const url = new URL(base);
            url.searchParams.set('code', c);
            if (s !== undefined) url.searchParams.set('state', s);
            expect(parseCallback(url.href)).toEqual(
              s === undefined ? { kind: 'code', code: c } : { kind: 'code', code: c, state: s },
            );
          },
        ),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'reads back any bare code of URL-safe characters (property)',
    () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[A-Za-z0-9._~-]{4,512}$/), (code) => {
          expect(parseCallback(code)).toEqual({ kind: 'code', code, bare: true });
        }),
        { numRuns: 500 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('checkState', () => {
  it('is ok when the state sent back is the one sent', () => {
    expect(checkState(STATE, STATE)).toBe('ok');
  });

  it('is a mismatch for any other state, including an empty one or a different case', () => {
    expect(checkState(STATE, 'other')).toBe('mismatch');
    expect(checkState(STATE, '')).toBe('mismatch');
    expect(checkState(STATE, STATE.toUpperCase())).toBe('mismatch');
    expect(checkState(STATE, `${STATE} `)).toBe('mismatch');
  });

  it('is unchecked for a bare code, which carries no state', () => {
    expect(checkState(STATE, undefined)).toBe('unchecked');
  });

  it('refuses when there is no expected state to check against', () => {
    expect(checkState('', '')).toBe('mismatch');
    expect(checkState('', undefined)).toBe('mismatch');
  });
});

describe('buildCodeExchangeRequest', () => {
  it('POSTs JSON to exactly {host}/oauth/token, without the refresh query', () => {
    const spec = buildCodeExchangeRequest(profile('body'), CODE, STATE);
    expect(spec.method).toBe('POST');
    expect(spec.url).toBe('https://app.hellosign.com/oauth/token');
    expect(spec.headers['Content-Type']).toBe('application/json');
    expect(spec.headers.Accept).toBe('application/json');
  });

  it('uses the profile’s host, trailing slash or not', () => {
    const spec = buildCodeExchangeRequest(
      { ...profile('body'), oauthHost: 'http://127.0.0.1:8443/' },
      CODE,
      STATE,
    );
    expect(spec.url).toBe('http://127.0.0.1:8443/oauth/token');
  });

  it("'body' mode sends the vendor example’s fields and no Authorization header", () => {
    const spec = buildCodeExchangeRequest(profile('body'), CODE, STATE);
    expect(bodyOf(spec)).toEqual({
      state: STATE,
      code: CODE,
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(Object.keys(spec.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
  });

  it("'basic' mode sends Basic base64(id:secret) and no client credentials in the body", () => {
    const spec = buildCodeExchangeRequest(profile('basic'), CODE, STATE);
    expect(spec.headers.Authorization).toBe(`Basic ${base64(`${CLIENT_ID}:${CLIENT_SECRET}`)}`);
    expect(bodyOf(spec)).toEqual({ grant_type: 'authorization_code', code: CODE, state: STATE });
  });

  it("'both' mode sends the credentials in the body and in the Basic header", () => {
    const spec = buildCodeExchangeRequest(profile('both'), CODE, STATE);
    expect(spec.headers.Authorization).toBe(`Basic ${base64(`${CLIENT_ID}:${CLIENT_SECRET}`)}`);
    expect(bodyOf(spec)).toMatchObject({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code: CODE });
  });

  it('omits the state when there is none, rather than sending an empty one', () => {
    expect(bodyOf(buildCodeExchangeRequest(profile('body'), CODE, undefined))).not.toHaveProperty('state');
  });

  it('sends an empty state as given: the caller decided to send it', () => {
    expect(bodyOf(buildCodeExchangeRequest(profile('body'), CODE, ''))).toHaveProperty('state', '');
  });

  it('keeps a code with base64 characters intact', () => {
    expect(bodyOf(buildCodeExchangeRequest(profile('body'), 'ab+/c==', STATE)).code).toBe('ab+/c==');
  });

  it('describeRequest shows the grant type and client id, masks code, state, secret and the Basic value', () => {
    for (const mode of ['body', 'basic', 'both'] as const) {
      const spec = buildCodeExchangeRequest(profile(mode), CODE, STATE);
      const text = describeRequest(spec);
      expect(text.split('\n')[0]).toBe('POST https://app.hellosign.com/oauth/token');
      expect(text).toContain('"grant_type": "authorization_code"');
      expect(text).toContain(`"code": "${MASK}"`);
      expect(text).not.toContain(CODE);
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(base64(`${CLIENT_ID}:${CLIENT_SECRET}`));
    }
  });

  it(
    'describeRequest never shows the code or secret, in any mode and for any values (property)',
    () => {
      fc.assert(
        fc.property(
          fc.constantFrom<ClientAuthMode>('body', 'basic', 'both'),
          fc.stringMatching(/^[A-Za-z0-9]{1,30}$/),
          // Prefixed so that a value cannot also be, say, the word "code" shown in the text.
          fc.stringMatching(/^[A-Za-z0-9+/=-]{8,60}$/).map((s) => `cs_${s}`),
          fc.stringMatching(/^[A-Za-z0-9._~-]{8,60}$/).map((s) => `ac_${s}`),
          (clientAuth, clientId, clientSecret, code) => {
            const spec = buildCodeExchangeRequest(
              { ...profile(clientAuth), clientId, clientSecret },
              code,
              STATE,
            );
            const text = describeRequest(spec);
            expect(text).not.toContain(clientSecret);
            expect(text).not.toContain(code);
            if (spec.headers.Authorization) expect(text).not.toContain(spec.headers.Authorization.slice(6));
          },
        ),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('authorizeProblemWords', () => {
  it.each(AUTHORIZE_PROBLEMS)('gives “%s” a title and an action', (problem) => {
    const words = authorizeProblemWords(problem);
    expect(words.title.length).toBeGreaterThan(10);
    expect(words.action.length).toBeGreaterThan(20);
  });

  it('says the window closed before coming back, and to try again', () => {
    const words = authorizeProblemWords('window_closed');
    expect(words.title).toBe('The authorization window closed before it came back to the extension');
    expect(words.action).toMatch(/again/);
  });

  it('names the callback URL to register when the window closed (the browsers cannot tell why)', () => {
    const callbackUrl = 'https://abcdefghijklmnop.chromiumapp.org/';
    const words = authorizeProblemWords('window_closed', { callbackUrl });
    expect(words.action).toContain(`is not ${callbackUrl}: register it`);
    expect(words.action).toContain('Open authorization page');
  });

  it('says the user declined, quoting the description trimmed', () => {
    const words = authorizeProblemWords('access_denied', {
      error: 'access_denied',
      description: '  The user denied access.\n ',
    });
    expect(words.title).toBe('You declined the authorization');
    expect(words.action).toContain('Dropbox Sign said: “The user denied access.”');
    expect(authorizeProblemWords('access_denied').action).not.toContain('said');
  });

  it('names another error code from the authorize page, but only when it is a plain word', () => {
    expect(authorizeProblemWords('access_denied', { error: 'unauthorized_client' }).title).toBe(
      'Dropbox Sign did not authorize the app (unauthorized_client)',
    );
    expect(authorizeProblemWords('access_denied', { error: '<img src=x>' }).title).toBe(
      'Dropbox Sign did not authorize the app',
    );
    expect(authorizeProblemWords('access_denied', { error: '' }).title).toBe(
      'Dropbox Sign did not authorize the app',
    );
  });

  it('caps a long description', () => {
    const words = authorizeProblemWords('access_denied', { description: 'x'.repeat(2000) });
    expect(words.action.length).toBeLessThan(600);
  });

  it('says a state mismatch was refused and nothing was sent or stored', () => {
    const words = authorizeProblemWords('state_mismatch');
    expect(words.title).toMatch(/Refused/);
    expect(words.action).toMatch(/Nothing was sent to Dropbox Sign and nothing was stored/);
    expect(words.action).toMatch(/Start the authorization again/);
  });

  it('names the exact callback address to register, where, and the paste alternative', () => {
    const callbackUrl = CHROME_CALLBACK;
    const words = authorizeProblemWords('callback_not_registered', { callbackUrl });
    expect(words.action).toContain(`“OAuth callback URL” must be exactly ${callbackUrl}`);
    expect(words.action).toContain('Dropbox Sign → API → your app → Edit → OAuth callback');
    expect(words.action).toContain('“Open authorization page”');
    expect(authorizeProblemWords('callback_not_registered').action).toMatch(
      /callback address this extension/,
    );
  });

  it('says the client ID and secret are needed first', () => {
    expect(authorizeProblemWords('no_client_credentials').title).toMatch(/client ID and client secret/);
  });

  it('never contains a code or secret passed by mistake in the error details it does not show', () => {
    for (const problem of AUTHORIZE_PROBLEMS) {
      const words = authorizeProblemWords(problem, { error: `${CODE} ${CLIENT_SECRET}` });
      expect(`${words.title} ${words.action}`).not.toContain(CODE);
      expect(`${words.title} ${words.action}`).not.toContain(CLIENT_SECRET);
    }
  });
});

describe('codeExchangeAdvice', () => {
  it('explains Dropbox Sign’s answer to a stale, reused or foreign code', () => {
    const advice = codeExchangeAdvice(
      'Either the combo client_id/code is wrong or this request was made more than 1 hour after the inital grant',
    );
    expect(advice?.title).toBe(
      'The authorization code was already used, is older than about an hour, or is another app’s',
    );
    expect(advice?.action).toMatch(/works once/);
    expect(advice?.action).toMatch(/hour/);
  });

  it('also recognises the local test server’s wording of it', () => {
    expect(
      codeExchangeAdvice(
        'Either the combo client_id/code is wrong or the code has expired or already been used',
      ),
    ).toBeDefined();
  });

  it('leaves every other message to the generic words', () => {
    expect(codeExchangeAdvice(undefined)).toBeUndefined();
    expect(codeExchangeAdvice('')).toBeUndefined();
    expect(codeExchangeAdvice('Missing code')).toBeUndefined();
    expect(codeExchangeAdvice('Wrong client secret')).toBeUndefined();
  });
});
