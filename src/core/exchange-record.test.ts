import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isRecordedExchange,
  MAX_BODY_CHARS,
  segmentsToText,
  viewExchange,
  type RecordedExchange,
  type Segment,
} from './exchange-record';
import { MASK } from './redact';
import { basicAuthorization, buildRefreshRequest } from './refresh-request';

/** Property runs are quick alone, but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

const AT = Date.UTC(2024, 0, 1);
const HOST = 'https://app.hellosign.com';

function refreshExchange(overrides: Partial<RecordedExchange> = {}): RecordedExchange {
  const spec = buildRefreshRequest({
    oauthHost: HOST,
    clientId: 'client-id-1',
    clientSecret: 'cs-SECRET-1',
    refreshToken: 'rt-SECRET-1',
    clientAuth: 'body',
  });
  return {
    kind: 'refresh',
    at: AT,
    request: { method: spec.method, url: spec.url, headers: Object.entries(spec.headers), body: spec.body },
    response: {
      status: 200,
      statusText: 'OK',
      headers: [['content-type', 'application/json']],
      body: JSON.stringify({
        access_token: 'at-SECRET-2',
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: 'rt-SECRET-2',
        state: null,
      }),
      ms: 141.6,
    },
    ...overrides,
  };
}

function masked(segments: readonly Segment[] | undefined): string {
  return segmentsToText(segments ?? [], false);
}

function revealed(segments: readonly Segment[] | undefined): string {
  return segmentsToText(segments ?? [], true);
}

function request(partial: Partial<RecordedExchange['request']>): RecordedExchange {
  return {
    kind: 'verify',
    at: AT,
    request: { method: 'GET', url: 'https://api.hellosign.com/v3/account', headers: [], ...partial },
  };
}

function response(partial: Partial<NonNullable<RecordedExchange['response']>>): RecordedExchange {
  return {
    ...request({}),
    response: { status: 200, headers: [], body: '', ms: 10, ...partial },
  };
}

describe('viewExchange: a refresh as the worker records it', () => {
  const view = viewExchange(refreshExchange());

  it('shows the request with every secret masked', () => {
    expect(masked(view.request)).toBe(
      [
        `POST ${HOST}/oauth/token?refresh`,
        'Content-Type: application/json',
        'Accept: application/json',
        '',
        '{',
        '  "grant_type": "refresh_token",',
        `  "refresh_token": "${MASK}",`,
        '  "client_id": "client-id-1",',
        `  "client_secret": "${MASK}"`,
        '}',
      ].join('\n'),
    );
  });

  it('shows the response with the tokens masked and the rest as received', () => {
    expect(masked(view.response)).toBe(
      [
        'HTTP 200 OK',
        'content-type: application/json',
        '',
        '{',
        `  "access_token": "${MASK}",`,
        '  "token_type": "Bearer",',
        '  "expires_in": 3600,',
        `  "refresh_token": "${MASK}",`,
        '  "state": null',
        '}',
      ].join('\n'),
    );
  });

  it('loses no text: revealed, the real values are all there', () => {
    const exchange = refreshExchange();
    const body = JSON.stringify(JSON.parse(exchange.request.body ?? ''), null, 2);
    expect(revealed(view.request)).toBe(
      [
        `POST ${HOST}/oauth/token?refresh`,
        'Content-Type: application/json',
        'Accept: application/json',
        '',
        body,
      ].join('\n'),
    );
    expect(revealed(view.response)).toContain('"access_token": "at-SECRET-2"');
    expect(revealed(view.response)).toContain('"refresh_token": "rt-SECRET-2"');
  });

  it('sums it up in one line', () => {
    expect(view.summary).toBe('POST /oauth/token?refresh → 200 OK in 142 ms');
  });
});

describe('viewExchange: what is secret', () => {
  it('masks a Bearer credential, keeping the scheme word', () => {
    const view = viewExchange(request({ headers: [['Authorization', 'Bearer at-SECRET-3']] }));
    expect(masked(view.request)).toBe(
      `GET https://api.hellosign.com/v3/account\nAuthorization: Bearer ${MASK}`,
    );
    expect(revealed(view.request)).toContain('Authorization: Bearer at-SECRET-3');
  });

  it('masks Basic client credentials, whatever the header name case', () => {
    const basic = basicAuthorization('client-id-1', 'cs-SECRET-1');
    const view = viewExchange(request({ headers: [['authorization', basic]] }));
    expect(masked(view.request)).toContain(`authorization: Basic ${MASK}`);
    expect(masked(view.request)).not.toContain(basic.slice('Basic '.length));
    expect(revealed(view.request)).toContain(`authorization: ${basic}`);
  });

  it('masks an Authorization value without a scheme word whole', () => {
    const view = viewExchange(request({ headers: [['Authorization', 'at-SECRET-3']] }));
    expect(masked(view.request)).toContain(`Authorization: ${MASK}`);
  });

  it('leaves other headers as they are', () => {
    const view = viewExchange(request({ headers: [['X-Ratelimit-Limit', '100']] }));
    expect(masked(view.request)).toContain('X-Ratelimit-Limit: 100');
  });

  it('masks every secret key in nested JSON, arrays too, and everything under one', () => {
    const body = JSON.stringify({
      data: { oauth: { access_token: 'at-SECRET-4', expires_in: 3600 } },
      list: [{ id_token: 'id-SECRET-5' }, { password: 'pw-SECRET-6' }],
      code: 'code-SECRET-7',
      code_verifier: 'cv-SECRET-8',
      custom_token: 'ct-SECRET-9',
      Api_Secret: 'as-SECRET-10',
      refresh_token: ['rt-SECRET-11', { inner: 'rt-SECRET-12', n: 12345678 }, true, null],
      token_type: 'Bearer',
      error: { error_name: 'none' },
    });
    const view = viewExchange(response({ body }));
    const text = masked(view.response);
    for (const n of [4, 5, 6, 7, 8, 9, 10, 11, 12]) expect(text).not.toContain(`SECRET-${n}`);
    expect(text).not.toContain('12345678');
    expect(text).toContain(`"access_token": "${MASK}"`);
    expect(text).toContain('"expires_in": 3600');
    expect(text).toContain('"token_type": "Bearer"');
    expect(text).toContain('"error_name": "none"');
    // Structure and non-secret literals stay readable under a secret key.
    expect(text).toContain(`"inner": "${MASK}",\n      "n": ${MASK}\n    },\n    true,\n    null`);
    expect(revealed(view.response)).toBe(`HTTP 200 OK\n\n${JSON.stringify(JSON.parse(body), null, 2)}`);
  });

  it('masks the same keys in a url-encoded body', () => {
    const body =
      'grant_type=refresh_token&refresh_token=rt%2FSECRET&client_id=cid&client_secret=cs+SECRET&code=';
    const view = viewExchange(
      request({
        method: 'POST',
        headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        body,
      }),
    );
    expect(masked(view.request).split('\n').at(-1)).toBe(
      `grant_type=refresh_token&refresh_token=${MASK}&client_id=cid&client_secret=${MASK}&code=`,
    );
    expect(revealed(view.request).endsWith(`\n\n${body}`)).toBe(true);
  });

  it('recognizes a form body without its content type, and escaped key names', () => {
    const view = viewExchange(request({ method: 'POST', body: 'refresh%5Ftoken=rt-SECRET&x=1' }));
    expect(masked(view.request).endsWith(`\n\nrefresh%5Ftoken=${MASK}&x=1`)).toBe(true);
  });

  it('masks the same keys in the URL query and fragment, keeping the URL as written', () => {
    const url = `${HOST}/oauth/authorize?response_type=code&state=s1&code=c-SECRET#access_token=at-SECRET&x=1`;
    const view = viewExchange(request({ url }));
    expect(masked(view.request)).toBe(
      `GET ${HOST}/oauth/authorize?response_type=code&state=s1&code=${MASK}#access_token=${MASK}&x=1`,
    );
    expect(revealed(view.request)).toBe(`GET ${url}`);
    // The fragment is never sent: not in the summary.
    expect(view.summary).toBe(
      `GET /oauth/authorize?response_type=code&state=s1&code=${MASK} → no answer recorded`,
    );
  });

  it('masks a secret sent wherever else it shows, such as an error page echoing it', () => {
    const exchange = refreshExchange({
      response: {
        status: 500,
        headers: [['content-type', 'text/html']],
        body: '<html><title>Error</title>refresh token rt-SECRET-1 failed</html>',
        ms: 5,
      },
    });
    const text = masked(viewExchange(exchange).response);
    expect(text).toBe(
      `HTTP 500 Internal Server Error\ncontent-type: text/html\n\n<html><title>Error</title>refresh token ${MASK} failed</html>`,
    );
  });
});

describe('viewExchange: bodies', () => {
  it('keeps key order, duplicate keys and numbers exactly as sent', () => {
    const body = '{"b":1,"2":2.50,"b":12345678901234567890,"e":1E+2,"s":"\\u0041"}';
    const view = viewExchange(response({ body }));
    expect(masked(view.response)).toBe(
      'HTTP 200 OK\n\n{\n  "b": 1,\n  "2": 2.50,\n  "b": 12345678901234567890,\n  "e": 1E+2,\n  "s": "\\u0041"\n}',
    );
  });

  it('pretty-prints empty containers and top-level values like JSON.stringify', () => {
    for (const body of ['{}', '[]', '{"a":[],"b":{}}', '"text"', '42', 'null', ' [1, [2, {"c": [3]}]] ']) {
      const view = viewExchange(response({ body }));
      expect(revealed(view.response)).toBe(`HTTP 200 OK\n\n${JSON.stringify(JSON.parse(body), null, 2)}`);
    }
  });

  it('shows a non-JSON body as received', () => {
    const body = '{"broken": ';
    expect(revealed(viewExchange(response({ body })).response)).toBe(`HTTP 200 OK\n\n${body}`);
  });

  it('cuts a long non-JSON body and says how much more there was', () => {
    const body = 'x'.repeat(MAX_BODY_CHARS + 1234);
    const text = revealed(viewExchange(response({ body })).response);
    expect(text).toBe(`HTTP 200 OK\n\n${'x'.repeat(MAX_BODY_CHARS)}… (1234 more characters)`);
  });

  it('never cuts a character in half', () => {
    const body = `${'x'.repeat(MAX_BODY_CHARS - 1)}😀tail`;
    const text = revealed(viewExchange(response({ body })).response);
    expect(text.endsWith(`${'x'.repeat(MAX_BODY_CHARS - 1)}… (6 more characters)`)).toBe(true);
  });

  it('keeps a secret cut by the limit masked', () => {
    const body = `${'a=1&'.repeat(MAX_BODY_CHARS / 4 - 10)}refresh_token=${'r'.repeat(100)}`;
    const text = masked(viewExchange(response({ body })).response);
    expect(text.endsWith(`refresh_token=${MASK}… (${body.length - MAX_BODY_CHARS} more characters)`)).toBe(
      true,
    );
  });

  it('does not cut a long JSON body: it is laid out whole', () => {
    const body = JSON.stringify({ padding: 'p'.repeat(MAX_BODY_CHARS) });
    expect(revealed(viewExchange(response({ body })).response)).not.toContain('more characters');
  });

  it('shows very deeply nested JSON as text rather than overflow', () => {
    const body = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(revealed(viewExchange(response({ body })).response)).toBe(`HTTP 200 OK\n\n${body}`);
  });

  it('omits the blank line when there is no body', () => {
    expect(revealed(viewExchange(response({ status: 204, headers: [['x', 'y']] })).response)).toBe(
      'HTTP 204 No Content\nx: y',
    );
  });
});

describe('viewExchange: summary', () => {
  it('gives the standard reason when the answer had no status text (HTTP/2)', () => {
    const view = viewExchange(response({ status: 401, ms: 12 }));
    expect(view.summary).toBe('GET /v3/account → 401 Unauthorized in 12 ms');
    expect(masked(view.response)).toBe('HTTP 401 Unauthorized');
  });

  it('keeps the status text received', () => {
    expect(viewExchange(response({ status: 299, statusText: 'Fine' })).summary).toBe(
      'GET /v3/account → 299 Fine in 10 ms',
    );
    expect(viewExchange(response({ status: 299 })).summary).toBe('GET /v3/account → 299 in 10 ms');
  });

  it('gives the error when no answer came, secrets sent scrubbed from it', () => {
    const exchange = refreshExchange({ error: 'Network error sending rt-SECRET-1' });
    delete exchange.response;
    const view = viewExchange(exchange);
    expect(view.response).toBeUndefined();
    expect(view.summary).toBe(`POST /oauth/token?refresh → Network error sending ${MASK}`);
  });

  it('says when nothing came back at all', () => {
    expect(viewExchange(request({ url: 'https://api.hellosign.com' })).summary).toBe(
      'GET / → no answer recorded',
    );
  });
});

describe('segmentsToText', () => {
  const segments: Segment[] = [{ text: 'a ' }, { text: 'b', secret: true }, { text: ' c' }];
  it('masks or reveals', () => {
    expect(segmentsToText(segments, false)).toBe(`a ${MASK} c`);
    expect(segmentsToText(segments, true)).toBe('a b c');
    expect(segmentsToText(segments, false, '***')).toBe('a *** c');
  });
});

describe('isRecordedExchange', () => {
  it('accepts what the worker records', () => {
    expect(isRecordedExchange(refreshExchange())).toBe(true);
    expect(isRecordedExchange(request({}))).toBe(true);
    expect(isRecordedExchange({ ...request({}), error: 'Timed out' })).toBe(true);
    expect(isRecordedExchange(structuredClone(refreshExchange()))).toBe(true);
  });

  const good = refreshExchange();
  const goodResponse = good.response ?? { status: 200, headers: [], body: '', ms: 1 };
  it.each([
    ['null', null],
    ['an array', [good]],
    ['an unknown kind', { ...good, kind: 'authorize' }],
    ['no time', { ...good, at: undefined }],
    ['a time beyond a Date', { ...good, at: 1e20 }],
    ['no request', { ...good, request: undefined }],
    ['a method that is no text', { ...good, request: { ...good.request, method: 1 } }],
    ['headers as an object', { ...good, request: { ...good.request, headers: { a: 'b' } } }],
    ['a header of three parts', { ...good, request: { ...good.request, headers: [['a', 'b', 'c']] } }],
    ['a header value that is no text', { ...good, request: { ...good.request, headers: [['a', 1]] } }],
    ['a body that is no text', { ...good, request: { ...good.request, body: {} } }],
    ['a status that is text', { ...good, response: { ...goodResponse, status: '200' } }],
    ['a fractional status', { ...good, response: { ...goodResponse, status: 200.5 } }],
    ['no response body', { ...good, response: { ...goodResponse, body: undefined } }],
    ['a negative time taken', { ...good, response: { ...goodResponse, ms: -1 } }],
    ['an error that is no text', { ...good, error: { message: 'x' } }],
    ['an unknown field', { ...good, token: 'x' }],
    ['an unknown request field', { ...good, request: { ...good.request, secret: 'x' } }],
    ['an unknown response field', { ...good, response: { ...goodResponse, extra: 1 } }],
  ])('rejects %s', (_name, value) => {
    expect(isRecordedExchange(value)).toBe(false);
  });
});

describe('masking, whatever the secret (property)', () => {
  /**
   * One template, the secret in every place there is: Bearer header, JSON bodies (nested), query, form
   * body. Soundness: the masked text must not depend on the secret at all, so it is compared with the masked
   * text of the same template around a fixed baseline secret (whose exact text a test above pins down). The
   * "never contains" check is made only when no written form of the secret occurs in that baseline text,
   * which is the surrounding non-secret text: that condition does not depend on how the secret itself was
   * handled, so a leak can never be filtered out by it.
   */
  function build(secret: string, withUrl: boolean): RecordedExchange {
    const query = withUrl ? `&code=${encodeURIComponent(secret)}` : '';
    return {
      kind: 'refresh',
      at: AT,
      request: {
        method: 'POST',
        url: `${HOST}/oauth/token?refresh${query}`,
        headers: [
          ['Content-Type', 'application/json'],
          ['Authorization', `Bearer ${secret}`],
        ],
        body: JSON.stringify({
          grant_type: 'refresh_token',
          refresh_token: secret,
          more: [{ x_secret: secret }],
        }),
      },
      response: {
        status: 400,
        headers: [],
        body: withUrl
          ? `error=invalid&access_token=${encodeURIComponent(secret)}`
          : JSON.stringify({ error: 'invalid_grant', access_token: secret }),
        ms: 3,
      },
    };
  }

  const jsonForm = (s: string) => JSON.stringify(s).slice(1, -1);
  const isWellFormed = (s: string) => {
    try {
      encodeURIComponent(s);
      return true;
    } catch {
      return false;
    }
  };
  const texts = (e: RecordedExchange) => {
    const view = viewExchange(e);
    return {
      masked: [masked(view.request), masked(view.response), view.summary].join('\n'),
      revealed: revealed(view.request) + revealed(view.response),
    };
  };

  it('pins down the baseline', () => {
    const baseline = texts(build('BASELINE-SECRET', true));
    expect(baseline.masked).toBe(
      [
        `POST ${HOST}/oauth/token?refresh&code=${MASK}`,
        'Content-Type: application/json',
        `Authorization: Bearer ${MASK}`,
        '',
        '{',
        '  "grant_type": "refresh_token",',
        `  "refresh_token": "${MASK}",`,
        '  "more": [',
        '    {',
        `      "x_secret": "${MASK}"`,
        '    }',
        '  ]',
        '}',
        'HTTP 400 Bad Request',
        '',
        `error=invalid&access_token=${MASK}`,
        `POST /oauth/token?refresh&code=${MASK} → 400 Bad Request in 3 ms`,
      ].join('\n'),
    );
  });

  const utf16 = fc.string({
    unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    minLength: 4,
    maxLength: 24,
  });
  const tricky = fc.string({
    unit: fc.constantFrom(
      '"',
      '\\',
      '\n',
      '\r',
      '\t',
      ' ',
      '=',
      '&',
      '%',
      '+',
      '#',
      '?',
      '•',
      'a',
      'é',
      '😀',
      '\u2028',
      '{',
      ':',
      ',',
    ),
    minLength: 4,
    maxLength: 24,
  });
  const anySecret = fc.oneof(
    fc.string({ minLength: 4, maxLength: 40 }),
    fc.string({ unit: 'binary', minLength: 4 }),
    tricky,
    utf16,
  );

  it(
    'masks every secret and reveals it unchanged',
    () => {
      let checked = 0;
      fc.assert(
        fc.property(anySecret, (secret) => {
          // encodeURIComponent cannot write half a surrogate pair: such a secret goes only where JSON can.
          const withUrl = isWellFormed(secret);
          const forms = [secret, jsonForm(secret), ...(withUrl ? [encodeURIComponent(secret)] : [])];
          const baseline = texts(build('BASELINE-SECRET', withUrl)).masked;
          const actual = texts(build(secret, withUrl));

          for (const form of forms) expect(actual.revealed).toContain(form);
          expect(actual.revealed).toContain(`Authorization: Bearer ${secret}\n`);

          if (forms.some((form) => baseline.includes(form))) return;
          checked++;
          expect(actual.masked).toBe(baseline);
          for (const form of forms) expect(actual.masked).not.toContain(form);
        }),
        { numRuns: 500 },
      );
      // The condition must leave most runs checked, or the property would prove little.
      expect(checked).toBeGreaterThan(250);
    },
    PROPERTY_TIMEOUT_MS,
  );
});
