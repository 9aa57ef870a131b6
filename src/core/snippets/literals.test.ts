import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  csharpString,
  goString,
  javaString,
  phpString,
  pythonString,
  rubyString,
  shellQuote,
  swiftString,
  tsString,
} from './literals';

/** Property runs are quick alone but can be slow on a busy machine: never a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

/*
 * One small decoder per language, written from the language's own rules for its literals. Each reads the
 * literal as the compiler would and throws where the compiler would refuse it, or read it differently: an
 * unescaped delimiter before the end, an escape the language lacks, a raw line break or control character,
 * a raw non-ASCII character (all literals but the shell's are ASCII only), or an interpolation start.
 */

type EscapeRule = readonly [pattern: string, decode: (match: string) => string];

const hexValue = (digits: string) => Number.parseInt(digits, 16);
const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0' };

/** Reads `"..."` token by token: an escape from `rules`, or one printable ASCII character allowed raw. */
function decodeDoubleQuoted(
  literal: string,
  rules: readonly EscapeRule[],
  rawAllowed: (rest: string) => boolean,
) {
  if (!literal.startsWith('"') || !literal.endsWith('"') || literal.length < 2) throw new Error('not quoted');
  const body = literal.slice(1, -1);
  const escape = new RegExp(`\\\\(?:${rules.map(([pattern]) => `(${pattern})`).join('|')})`, 'y');
  let out = '';
  let i = 0;
  while (i < body.length) {
    const char = body.charAt(i);
    if (char === '\\') {
      escape.lastIndex = i;
      const match = escape.exec(body);
      if (!match) throw new Error(`bad escape at ${String(i)}: ${body.slice(i, i + 12)}`);
      // An alternative that did not match leaves its group undefined (the types say string).
      const groups: (string | undefined)[] = match.slice(1);
      const index = groups.findIndex((group) => group !== undefined);
      const rule = rules[index];
      const group = match[index + 1];
      if (rule === undefined || group === undefined) throw new Error('no rule');
      out += rule[1](group);
      i += match[0].length;
    } else {
      const code = char.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) throw new Error(`raw character U+${code.toString(16)}`);
      if (char === '"' || !rawAllowed(body.slice(i))) throw new Error(`unescaped ${char} at ${String(i)}`);
      out += char;
      i += 1;
    }
  }
  return out;
}

const quoteRule: EscapeRule = ['["\\\\]', (c) => c];
const simpleRule = (chars: string): EscapeRule => [`[${chars}]`, (c) => simple[c] ?? c];
const codePoint = (value: number, allowSurrogate: boolean) => {
  if (!allowSurrogate && value >= 0xd800 && value <= 0xdfff) throw new Error('surrogate escape');
  return String.fromCodePoint(value);
};
const u4 = (allowSurrogate: boolean): EscapeRule => [
  'u[0-9a-fA-F]{4}',
  (m) =>
    allowSurrogate ? String.fromCharCode(hexValue(m.slice(1))) : codePoint(hexValue(m.slice(1)), false),
];
const u8: EscapeRule = ['U[0-9a-fA-F]{8}', (m) => codePoint(hexValue(m.slice(1)), false)];
const uBraces = (max: number): EscapeRule => [
  `u\\{[0-9a-fA-F]{1,${String(max)}}\\}`,
  (m) => codePoint(hexValue(m.slice(2, -1)), false),
];
const anyRaw = () => true;

const decodeTs = (literal: string) =>
  decodeDoubleQuoted(literal, [quoteRule, simpleRule('nrt'), u4(true)], anyRaw);

const decodeJava = (literal: string) =>
  decodeDoubleQuoted(
    literal,
    [
      quoteRule,
      simpleRule('nrt'),
      // Java decodes \uXXXX before lexing: one standing for ASCII (a quote, a backslash, a line break) breaks it.
      [
        'u[0-9a-fA-F]{4}',
        (m) => {
          const value = hexValue(m.slice(1));
          if (value < 0x80) throw new Error('\\u escape of an ASCII character');
          return String.fromCharCode(value);
        },
      ],
      ['[0-3][0-7]{2}', (m) => String.fromCharCode(Number.parseInt(m, 8))],
    ],
    anyRaw,
  );

const decodePython = (literal: string) =>
  decodeDoubleQuoted(
    literal,
    [
      quoteRule,
      simpleRule('nrt'),
      ['x[0-9a-fA-F]{2}', (m) => String.fromCharCode(hexValue(m.slice(1)))],
      u4(false),
      u8,
    ],
    anyRaw,
  );

const decodeGo = (literal: string) =>
  decodeDoubleQuoted(
    literal,
    // \xHH is one byte: above 0x7f it would not be the character.
    [
      quoteRule,
      simpleRule('nrt'),
      ['x[0-7][0-9a-fA-F]', (m) => String.fromCharCode(hexValue(m.slice(1)))],
      u4(false),
      u8,
    ],
    anyRaw,
  );

const decodeSwift = (literal: string) =>
  decodeDoubleQuoted(literal, [quoteRule, simpleRule('nrt0'), uBraces(8)], anyRaw);

/** `'...'` where only `\\` and `\'` are escapes (Ruby, PHP); any other backslash stands for itself. */
function decodeSingleQuoted(literal: string): string {
  if (!/^'(?:[^'\\]|\\.)*'$/s.test(literal)) throw new Error('not a single-quoted literal');
  const body = literal.slice(1, -1);
  if (/[^\x20-\x7e]/.test(body)) throw new Error('raw non-printable character');
  return body.replace(/\\([\\'])/g, '$1');
}

const decodeRuby = (literal: string) =>
  literal.startsWith("'")
    ? decodeSingleQuoted(literal)
    : decodeDoubleQuoted(
        literal,
        [quoteRule, simpleRule('nrt#'), uBraces(6)],
        (rest) => !/^#[{@$]/.test(rest),
      );

const decodePhp = (literal: string) =>
  literal.startsWith("'")
    ? decodeSingleQuoted(literal)
    : decodeDoubleQuoted(
        literal,
        [
          quoteRule,
          simpleRule('nrt$'),
          ['x[0-9a-fA-F]{2}', (m) => String.fromCharCode(hexValue(m.slice(1)))],
          uBraces(6),
        ],
        (rest) => !rest.startsWith('$'),
      );

/** bash: `'...'` pieces joined by `\'`, or one `$'...'` ANSI-C string. Never a raw control character. */
function decodeShell(literal: string): string {
  for (let i = 0; i < literal.length; i++) {
    const code = literal.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) throw new Error('raw control character');
  }
  if (literal.startsWith("$'")) {
    if (!literal.endsWith("'")) throw new Error('not closed');
    const body = literal.slice(2, -1);
    const token = /\\x([0-9a-fA-F]{2})|\\([\\'nrt])|([^\\'])/uy;
    let out = '';
    while (token.lastIndex < body.length) {
      const start = token.lastIndex;
      const match = token.exec(body);
      if (!match) throw new Error(`bad token at ${String(start)}`);
      if (match[1] !== undefined) out += String.fromCharCode(hexValue(match[1]));
      else if (match[2] !== undefined) out += simple[match[2]] ?? match[2];
      else out += match[3] ?? '';
    }
    return out;
  }
  // Quoted pieces, and `\'` between them: inside the quotes a backslash is an ordinary character.
  const piece = /'([^']*)'|\\(')/y;
  let out = '';
  while (piece.lastIndex < literal.length) {
    const start = piece.lastIndex;
    const match = piece.exec(literal);
    if (!match) throw new Error(`not single-quoted pieces at ${String(start)}`);
    out += match[1] ?? match[2] ?? '';
  }
  return out;
}

const LANGUAGES = [
  { name: 'TypeScript', literal: tsString, decode: decodeTs },
  { name: 'C#', literal: csharpString, decode: decodeTs },
  { name: 'Java', literal: javaString, decode: decodeJava },
  { name: 'Python', literal: pythonString, decode: decodePython },
  { name: 'Go', literal: goString, decode: decodeGo },
  { name: 'Swift', literal: swiftString, decode: decodeSwift },
  { name: 'Ruby', literal: rubyString, decode: decodeRuby },
  { name: 'PHP', literal: phpString, decode: decodePhp },
  { name: 'shell', literal: shellQuote, decode: decodeShell },
] as const;

/** Single characters and pairs that break naive quoting somewhere, beside any code point at all. */
const NASTY = [
  '"',
  "'",
  '\\',
  '$',
  '#',
  '#{',
  '{$',
  '$(',
  '`',
  '%',
  '%s',
  '?>',
  '*/',
  '\n',
  '\r',
  '\t',
  '\0',
];
const nastyString = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...NASTY, '\u0007', '\u007f', '\u00e9', '\u2028', '\ud83d\ude00', '\\u0041', "'\\''"),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
});

describe('string literals', () => {
  for (const { name, literal, decode } of LANGUAGES) {
    it(
      `${name}: any string (quotes, backslashes, $, #{, newlines, emoji) decodes back to itself`,
      () => {
        fc.assert(
          fc.property(nastyString, (value) => {
            // bash strings cannot hold NUL, nor can environment variables or argv: the shell is spared it.
            const input = name === 'shell' ? value.replace(/\0/g, '') : value;
            const quoted = literal(input);
            expect(quoted).not.toMatch(/[\r\n]/);
            expect(decode(quoted)).toBe(input);
          }),
          { numRuns: 300 },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );
  }

  it('is ASCII only in every language but the shell', () => {
    const value = 'é😀\u2028\n"\\';
    for (const { name, literal } of LANGUAGES) {
      if (name !== 'shell') expect(literal(value)).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it('writes the escapes each language expects', () => {
    const value = 'a"b\\c$d#{e}\nf\u0001😀';
    expect(tsString(value)).toBe(String.raw`"a\"b\\c$d#{e}\nf\u0001\ud83d\ude00"`);
    expect(csharpString(value)).toBe(String.raw`"a\"b\\c$d#{e}\nf\u0001\ud83d\ude00"`);
    expect(javaString(value)).toBe(String.raw`"a\"b\\c$d#{e}\nf\001\ud83d\ude00"`);
    expect(pythonString(value)).toBe(String.raw`"a\"b\\c$d#{e}\nf\x01\U0001f600"`);
    expect(goString(value)).toBe(String.raw`"a\"b\\c$d#{e}\nf\x01\U0001f600"`);
    expect(swiftString(value)).toBe(String.raw`"a\"b\\c$d#{e}\nf\u{1}\u{1f600}"`);
    expect(rubyString(value)).toBe(String.raw`"a\"b\\c$d\#{e}\nf\u{1}\u{1f600}"`);
    expect(phpString(value)).toBe(String.raw`"a\"b\\c\$d#{e}\nf\x01\u{1f600}"`);
    expect(shellQuote(value)).toBe(String.raw`$'a"b\\c$d#{e}\nf\x01😀'`);
  });

  it('keeps printable ASCII readable: single quotes in Ruby, PHP and the shell', () => {
    const value = `it's a \\ $HOME #{x}`;
    expect(rubyString(value)).toBe(String.raw`'it\'s a \\ $HOME #{x}'`);
    expect(phpString(value)).toBe(String.raw`'it\'s a \\ $HOME #{x}'`);
    expect(shellQuote(value)).toBe(String.raw`'it'\''s a \ $HOME #{x}'`);
  });

  it('turns a lone surrogate into U+FFFD, as encoding the value to UTF-8 would', () => {
    expect(tsString('a\ud800b')).toBe(String.raw`"a\ufffdb"`);
    expect(goString('\udc00')).toBe(String.raw`"\ufffd"`);
  });

  it('rejects what a compiler would refuse (the decoders are not lenient)', () => {
    expect(() => decodeTs('"a"b"')).toThrow();
    expect(() => decodeJava(String.raw`"\u0022"`)).toThrow();
    expect(() => decodeGo(String.raw`"\xe9"`)).toThrow();
    expect(() => decodeRuby('"#{x}"')).toThrow();
    expect(() => decodePhp('"$x"')).toThrow();
    expect(() => decodeShell("'a\nb'")).toThrow();
    expect(() => decodeShell("'a'b'")).toThrow();
  });
});
