import { isEpochMs, isFiniteNumber, isRecord } from './guards';
import { MASK, scrubSecrets } from './redact';

/**
 * The "Last exchange" inspector: the latest refresh, code exchange and verify call of a profile, exactly as
 * sent and received, so the user can compare with their own curl call. Recorded in clear (session storage,
 * forgotten on lock); everything secret is marked here, so the popup masks it until revealed and "Copy"
 * copies the masked or the revealed text, never a mix the user did not choose.
 */

export type ExchangeKind = 'refresh' | 'exchange' | 'verify';
const KINDS: readonly string[] = ['refresh', 'exchange', 'verify'] satisfies ExchangeKind[];

export interface RecordedExchange {
  kind: ExchangeKind;
  /** Epoch ms when sent. */
  at: number;
  request: { method: string; url: string; headers: [string, string][]; body?: string };
  response?: { status: number; statusText?: string; headers: [string, string][]; body: string; ms: number };
  /** Why there is no (usable) response: network error, timeout, refused redirect; the human message. */
  error?: string;
}

/** Text in pieces, each plain or secret: the UI masks secret pieces until revealed. */
export type Segment = { text: string; secret?: true };

export interface ExchangeView {
  request: Segment[];
  /** Absent when no answer came. */
  response: Segment[] | undefined;
  /** One line, secrets masked: 'POST /oauth/token?refresh → 200 OK in 142 ms'. */
  summary: string;
}

/** Non-JSON bodies beyond this are cut: an HTML error page can be megabytes the popup has no use for. */
export const MAX_BODY_CHARS = 20_000;

// ---------------------------------------------------------------------------------------------------------
// Reading back from storage

const EXCHANGE_KEYS = new Set(['kind', 'at', 'request', 'response', 'error']);
const REQUEST_KEYS = new Set(['method', 'url', 'headers', 'body']);
const RESPONSE_KEYS = new Set(['status', 'statusText', 'headers', 'body', 'ms']);

/**
 * Strict, like every reader of stored data: the right types and no field this version does not write. Both
 * `response` and `error` may be present (an answer that could not be used, such as a refused redirect).
 */
export function isRecordedExchange(value: unknown): value is RecordedExchange {
  return (
    hasOnly(value, EXCHANGE_KEYS) &&
    typeof value.kind === 'string' &&
    KINDS.includes(value.kind) &&
    isEpochMs(value.at) &&
    isRequest(value.request) &&
    optional(value, 'response', isResponse) &&
    optional(value, 'error', isString)
  );
}

function isRequest(value: unknown): boolean {
  return (
    hasOnly(value, REQUEST_KEYS) &&
    typeof value.method === 'string' &&
    typeof value.url === 'string' &&
    isHeaderList(value.headers) &&
    optional(value, 'body', isString)
  );
}

function isResponse(value: unknown): boolean {
  return (
    hasOnly(value, RESPONSE_KEYS) &&
    isFiniteNumber(value.status) &&
    Number.isInteger(value.status) &&
    value.status >= 0 &&
    value.status <= 999 &&
    optional(value, 'statusText', isString) &&
    isHeaderList(value.headers) &&
    typeof value.body === 'string' &&
    isFiniteNumber(value.ms) &&
    value.ms >= 0
  );
}

function isHeaderList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every((p) => Array.isArray(p) && p.length === 2 && p.every((part) => typeof part === 'string'))
  );
}

function hasOnly(value: unknown, keys: ReadonlySet<string>): value is Record<string, unknown> {
  return isRecord(value) && Object.keys(value).every((key) => keys.has(key));
}

/** Absent, or present and valid: a key holding `undefined` is neither (exactOptionalPropertyTypes). */
function optional(value: Record<string, unknown>, key: string, check: (v: unknown) => boolean): boolean {
  return !Object.hasOwn(value, key) || check(value[key]);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

// ---------------------------------------------------------------------------------------------------------
// The view

/** `reveal`: the text as it was; otherwise each secret segment as `mask`. */
export function segmentsToText(segments: readonly Segment[], reveal: boolean, mask = MASK): string {
  return segments.map((s) => (s.secret && !reveal ? mask : s.text)).join('');
}

export function viewExchange(exchange: RecordedExchange): ExchangeView {
  const { request, response } = exchange;
  const requestLines = [
    [plain(`${request.method} `), ...urlSegments(request.url)],
    ...request.headers.map(headerSegments),
  ];
  if (request.body) requestLines.push([], bodySegments(request.body, request.headers));
  let requestSegments = joinLines(requestLines);

  let responseSegments: Segment[] | undefined;
  if (response) {
    const reason = reasonPhrase(response.status, response.statusText);
    const lines = [
      [plain(`HTTP ${response.status}${reason ? ` ${reason}` : ''}`)],
      ...response.headers.map(headerSegments),
    ];
    if (response.body) lines.push([], bodySegments(response.body, response.headers));
    responseSegments = joinLines(lines);
  }

  // A secret found in one place is masked wherever else it shows: an error page echoing the refresh token
  // sent, a token quoted in an error description.
  const secrets = knownSecrets([...requestSegments, ...(responseSegments ?? [])]);
  requestSegments = maskKnown(requestSegments, secrets);
  if (responseSegments) responseSegments = maskKnown(responseSegments, secrets);

  return { request: requestSegments, response: responseSegments, summary: summarize(exchange, secrets) };
}

function summarize(exchange: RecordedExchange, secrets: readonly string[]): string {
  const { request, response, error } = exchange;
  // Path and query only: the host is the profile's and makes the line long; the fragment is never sent.
  const [beforeFragment = ''] = request.url.split('#', 1);
  const path = beforeFragment.replace(/^[a-z][a-z\d+.-]*:\/\/[^/?]*/i, '') || '/';
  const target = segmentsToText(urlSegments(path), false);
  let outcome = 'no answer recorded';
  if (error !== undefined) outcome = error;
  else if (response) {
    const reason = reasonPhrase(response.status, response.statusText);
    outcome = `${response.status}${reason ? ` ${reason}` : ''} in ${Math.round(response.ms)} ms`;
  }
  return scrubSecrets(`${request.method} ${target} → ${outcome}`, secrets);
}

/** HTTP/2 answers carry no status text: the standard phrase then, so the line reads '200 OK' either way. */
const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function reasonPhrase(status: number, statusText: string | undefined): string {
  return statusText || (REASONS[status] ?? '');
}

// ---------------------------------------------------------------------------------------------------------
// Which parts are secret

const SECRET_KEYS = new Set([
  'client_secret',
  'refresh_token',
  'access_token',
  'code',
  'code_verifier',
  'id_token',
  'password',
]);

function isSecretKey(key: string): boolean {
  const k = key.toLowerCase();
  return SECRET_KEYS.has(k) || k.endsWith('_token') || k.endsWith('_secret');
}

/** `Authorization: Bearer ••••`: the scheme word stays readable, the credential does not. */
function headerSegments([name, value]: [string, string]): Segment[] {
  const start = plain(`${name}: `);
  if (!/^\s*(proxy-)?authorization\s*$/i.test(name) || !value) return [plain(`${name}: ${value}`)];
  // The scheme word and the one space after it; anything further is part of the credential.
  const scheme = /^(\S+[ \t])([\s\S]*)$/.exec(value);
  // No scheme word: the whole value is the credential.
  if (!scheme) return [start, secret(value)];
  const [, word = '', credential = ''] = scheme;
  return credential ? [start, plain(word), secret(credential)] : [plain(`${name}: ${value}`)];
}

/** The URL as given (never normalized: the user compares it with their own), secret query values marked. */
function urlSegments(url: string): Segment[] {
  const hash = url.indexOf('#');
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  const question = beforeHash.indexOf('?');
  const out: Segment[] = [];
  if (question < 0) out.push(plain(beforeHash));
  else out.push(plain(beforeHash.slice(0, question + 1)), ...formSegments(beforeHash.slice(question + 1)));
  // A fragment can carry tokens too (the implicit flow's `#access_token=`).
  if (hash >= 0) out.push(plain('#'), ...formSegments(url.slice(hash + 1)));
  return out;
}

/** `a=1&refresh_token=…`: a query or a form body, values of secret keys marked, every character kept. */
function formSegments(text: string): Segment[] {
  const out: Segment[] = [];
  text.split('&').forEach((pair, i) => {
    if (i > 0) out.push(plain('&'));
    const eq = pair.indexOf('=');
    const value = pair.slice(eq + 1);
    if (eq < 0 || !value || !isSecretKey(formDecode(pair.slice(0, eq)))) out.push(plain(pair));
    else out.push(plain(pair.slice(0, eq + 1)), secret(value));
  });
  return out;
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

const FORM_SHAPE = /^[^&=\s]+=[^&\s]*(?:&[^&=\s]+=[^&\s]*)*$/;

function bodySegments(body: string, headers: readonly [string, string][]): Segment[] {
  const json = jsonSegments(body);
  if (json) return json;
  const type = headers.find(([name]) => name.trim().toLowerCase() === 'content-type')?.[1] ?? '';
  // The shape as well as the type: a form sent or answered without its content type is still a form.
  const isForm = /application\/x-www-form-urlencoded/i.test(type) || FORM_SHAPE.test(body);
  return truncate(isForm ? formSegments(body) : [plain(body)], body.length);
}

/** The first MAX_BODY_CHARS characters and a note of how many more there were. */
function truncate(segments: Segment[], length: number): Segment[] {
  if (length <= MAX_BODY_CHARS) return segments;
  const joined = segmentsToText(segments, true);
  // Never half a surrogate pair at the cut.
  const last = joined.charCodeAt(MAX_BODY_CHARS - 1);
  const cut = last >= 0xd800 && last <= 0xdbff ? MAX_BODY_CHARS - 1 : MAX_BODY_CHARS;
  const out: Segment[] = [];
  let room = cut;
  for (const s of segments) {
    if (room <= 0) break;
    const text = s.text.slice(0, room);
    room -= text.length;
    out.push(s.secret ? secret(text) : plain(text));
  }
  out.push(plain(`… (${length - cut} more characters)`));
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// JSON, pretty-printed from its own text
//
// Not JSON.parse + JSON.stringify: that would reorder integer-like keys, merge duplicate keys and round
// large numbers, and the user would compare against text the server never sent. Tokens are kept as
// written; only the whitespace between them changes (the same layout as JSON.stringify(v, null, 2)).

type JsonNode =
  | { type: 'object'; entries: [key: string, value: JsonNode][] }
  | { type: 'array'; items: JsonNode[] }
  | { type: 'string' | 'number' | 'literal'; raw: string };

/** Deeper than this is no token response: shown as text rather than risk the stack. */
const MAX_DEPTH = 200;

function jsonSegments(body: string): Segment[] | undefined {
  try {
    // The native parser decides what is JSON; the tokenizer below only has to lay out valid JSON.
    JSON.parse(body);
    const parser = new JsonReader(body);
    const node = parser.value(0);
    parser.end();
    const out: Segment[] = [];
    printJson(node, '', false, out);
    return out;
  } catch {
    return undefined;
  }
}

class JsonReader {
  private at = 0;
  constructor(private readonly text: string) {}

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) throw new Error('too deep');
    this.space();
    const c = this.text.charAt(this.at);
    if (c === '{') {
      this.at++;
      const entries: [string, JsonNode][] = [];
      if (!this.eat('}')) {
        do {
          this.space();
          const key = this.token(STRING);
          this.space();
          this.expect(':');
          entries.push([key, this.value(depth + 1)]);
        } while (this.eat(','));
        this.expect('}');
      }
      return { type: 'object', entries };
    }
    if (c === '[') {
      this.at++;
      const items: JsonNode[] = [];
      if (!this.eat(']')) {
        do {
          items.push(this.value(depth + 1));
        } while (this.eat(','));
        this.expect(']');
      }
      return { type: 'array', items };
    }
    if (c === '"') return { type: 'string', raw: this.token(STRING) };
    if (c === '-' || (c >= '0' && c <= '9')) return { type: 'number', raw: this.token(NUMBER) };
    return { type: 'literal', raw: this.token(LITERAL) };
  }

  end(): void {
    this.space();
    if (this.at !== this.text.length) throw new Error('trailing text');
  }

  private space(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text.charAt(this.at))) this.at++;
  }

  private eat(c: string): boolean {
    this.space();
    if (this.text.charAt(this.at) !== c) return false;
    this.at++;
    return true;
  }

  private expect(c: string): void {
    if (!this.eat(c)) throw new Error(`expected ${c}`);
  }

  private token(pattern: RegExp): string {
    pattern.lastIndex = this.at;
    const match = pattern.exec(this.text);
    if (!match) throw new Error('bad token');
    this.at += match[0].length;
    return match[0];
  }
}

// Loose where JSON.parse has already been strict (no control characters can be inside a string).
const STRING = /"(?:[^"\\]+|\\["\\/bfnrt]|\\u[\da-fA-F]{4})*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/** Under a secret key every string and number inside is secret, however deep (arrays and objects too). */
function printJson(node: JsonNode, indent: string, isSecret: boolean, out: Segment[]): void {
  const inner = `${indent}  `;
  switch (node.type) {
    case 'string':
      // The quotes stay visible: the masked text still reads as the JSON it is.
      if (isSecret && node.raw.length > 2) out.push(plain('"'), secret(node.raw.slice(1, -1)), plain('"'));
      else out.push(plain(node.raw));
      return;
    case 'number':
      out.push(isSecret ? secret(node.raw) : plain(node.raw));
      return;
    case 'literal':
      out.push(plain(node.raw));
      return;
    case 'array':
      if (node.items.length === 0) {
        out.push(plain('[]'));
        return;
      }
      out.push(plain('[\n'));
      node.items.forEach((item, i) => {
        out.push(plain(inner));
        printJson(item, inner, isSecret, out);
        out.push(plain(i < node.items.length - 1 ? ',\n' : '\n'));
      });
      out.push(plain(`${indent}]`));
      return;
    case 'object':
      if (node.entries.length === 0) {
        out.push(plain('{}'));
        return;
      }
      out.push(plain('{\n'));
      node.entries.forEach(([key, value], i) => {
        out.push(plain(`${inner}${key}: `));
        printJson(value, inner, isSecret || isSecretKey(JSON.parse(key) as string), out);
        out.push(plain(i < node.entries.length - 1 ? ',\n' : '\n'));
      });
      out.push(plain(`${indent}}`));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Segment plumbing

function plain(text: string): Segment {
  return { text };
}

function secret(text: string): Segment {
  return { text, secret: true };
}

/** Lines joined with '\n', adjacent plain pieces merged, empty plain pieces dropped. */
function joinLines(lines: readonly Segment[][]): Segment[] {
  const out: Segment[] = [];
  lines.forEach((line, i) => {
    if (i > 0) pushMerged(out, plain('\n'));
    for (const s of line) pushMerged(out, s);
  });
  return out;
}

function pushMerged(out: Segment[], s: Segment): void {
  const last = out.at(-1);
  if (!s.secret && !s.text) return;
  if (!s.secret && last && !last.secret) last.text += s.text;
  else out.push({ ...s });
}

/** The secret values seen, as written, of 4+ characters (as redact.ts masks them). */
function knownSecrets(segments: readonly Segment[]): string[] {
  const found = new Set<string>();
  for (const s of segments) {
    if (!s.secret) continue;
    if (s.text.length >= 4) found.add(s.text);
  }
  // Longest first: a shorter secret inside a longer one must not leave the longer one's tail visible.
  return [...found].sort((a, b) => b.length - a.length);
}

function maskKnown(segments: readonly Segment[], secrets: readonly string[]): Segment[] {
  let current: Segment[] = [...segments];
  for (const value of secrets) {
    current = current.flatMap((s) => {
      if (s.secret || !s.text.includes(value)) return [s];
      return s.text
        .split(value)
        .flatMap((piece, i) => (i === 0 ? [plain(piece)] : [secret(value), plain(piece)]));
    });
  }
  const out: Segment[] = [];
  for (const s of current) pushMerged(out, s);
  return out;
}
