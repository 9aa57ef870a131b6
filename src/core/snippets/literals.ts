/**
 * String literals for each language: whatever the value holds (quotes, backslashes, `$`, `#{`, newlines,
 * control characters, emoji), the literal must decode back to it. Apart from the shell, every literal is
 * printable ASCII only, so the file survives any editor, encoding or compiler default (javac under the C
 * locale, mcs); the shell leaves non-ASCII as UTF-8, which POSIX quoting cannot escape.
 *
 * A lone UTF-16 surrogate cannot exist in UTF-8 source (nor in what the code sends): it becomes U+FFFD,
 * as encoding the value would make it.
 */

/** The value's code points, a lone surrogate replaced by U+FFFD. */
function codePoints(value: string): number[] {
  const points: number[] = [];
  for (const char of value) {
    const point = char.codePointAt(0) ?? 0xfffd;
    points.push(point >= 0xd800 && point <= 0xdfff ? 0xfffd : point);
  }
  return points;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const isPrintableAscii = (point: number) => point >= 0x20 && point <= 0x7e;

/** `\uXXXX` per UTF-16 unit: an astral character becomes its surrogate pair (JSON, JavaScript, Java, C#). */
function utf16Escapes(point: number): string {
  const units = String.fromCodePoint(point);
  let out = '';
  for (let i = 0; i < units.length; i++) out += `\\u${hex(units.charCodeAt(i), 4)}`;
  return out;
}

const COMMON: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * A double-quoted literal: printable ASCII as is, except what `named` escapes by name; everything else
 * through `other`.
 */
function doubleQuoted(
  value: string,
  named: Readonly<Record<string, string>>,
  other: (point: number) => string,
) {
  let out = '"';
  for (const point of codePoints(value)) {
    const char = String.fromCodePoint(point);
    const escape = named[char];
    if (escape !== undefined) out += escape;
    else out += isPrintableAscii(point) ? char : other(point);
  }
  return `${out}"`;
}

/** TypeScript/JavaScript: a double-quoted literal that is also valid JSON. */
export function tsString(value: string): string {
  return doubleQuoted(value, COMMON, utf16Escapes);
}

/** C#: a regular (not verbatim) literal; `\x` is avoided, its length is variable. */
export function csharpString(value: string): string {
  return doubleQuoted(value, COMMON, utf16Escapes);
}

/**
 * Java: `\uXXXX` is decoded before the lexer runs, so it must never stand for a quote, a backslash or a line
 * break (`"\u000a"` does not compile): control characters use octal escapes, only non-ASCII uses `\u`.
 */
export function javaString(value: string): string {
  return doubleQuoted(value, COMMON, (point) =>
    point < 0x80 ? `\\${point.toString(8).padStart(3, '0')}` : utf16Escapes(point),
  );
}

/** Python 3: `\xHH`, `\uXXXX`, or `\UXXXXXXXX` (a surrogate pair written as two `\u` would stay two). */
export function pythonString(value: string): string {
  return doubleQuoted(value, COMMON, (point) =>
    point < 0x100 ? `\\x${hex(point, 2)}` : point < 0x10000 ? `\\u${hex(point, 4)}` : `\\U${hex(point, 8)}`,
  );
}

/** Go: `\xHH` only below 0x80 (above, it would be a raw byte, not the character), else `\u` or `\U`. */
export function goString(value: string): string {
  return doubleQuoted(value, COMMON, (point) =>
    point < 0x80 ? `\\x${hex(point, 2)}` : point < 0x10000 ? `\\u${hex(point, 4)}` : `\\U${hex(point, 8)}`,
  );
}

/** Swift: `\u{...}` for every code point outside printable ASCII; `\(` cannot start since `\` is escaped. */
export function swiftString(value: string): string {
  return doubleQuoted(value, COMMON, (point) => `\\u{${hex(point, 1)}}`);
}

/** Single quotes where only `\` and `'` are special (Ruby, PHP): used when the value is printable ASCII. */
function singleQuoted(value: string): string {
  return `'${value.replace(/[\\']/g, (char) => `\\${char}`)}'`;
}

const allPrintableAscii = (value: string) => /^[\x20-\x7e]*$/.test(value);

/**
 * Ruby: single quotes when they can hold the value; else double quotes with every `#` escaped, so neither
 * `#{`, `#@` nor `#$` can interpolate.
 */
export function rubyString(value: string): string {
  if (allPrintableAscii(value)) return singleQuoted(value);
  return doubleQuoted(value, { ...COMMON, '#': '\\#' }, (point) => `\\u{${hex(point, 1)}}`);
}

/**
 * PHP: single quotes when they can hold the value; else double quotes with `$` escaped (so `$x` and `{$`
 * cannot interpolate), `\xHH` (always two digits) for control characters and `\u{...}` (PHP 7+) above ASCII.
 */
export function phpString(value: string): string {
  if (allPrintableAscii(value)) return singleQuoted(value);
  return doubleQuoted(value, { ...COMMON, $: '\\$' }, (point) =>
    point < 0x80 ? `\\x${hex(point, 2)}` : `\\u{${hex(point, 1)}}`,
  );
}

/**
 * Shell (bash): POSIX single quotes, `'` written as `'\''`. A value with a control character (a newline
 * among them) cannot sit in single quotes without a raw line break: it gets bash's `$'...'` instead, with
 * `\xHH` (always two digits). Non-ASCII stays UTF-8: `$'\u...'` depends on the locale. NUL cannot be in a
 * shell string at all (bash stops there).
 */
export function shellQuote(value: string): string {
  const points = codePoints(value);
  if (!points.some((point) => point < 0x20 || point === 0x7f)) {
    return `'${points
      .map((point) => String.fromCodePoint(point))
      .join('')
      .replace(/'/g, `'\\''`)}'`;
  }
  let out = "$'";
  for (const point of points) {
    const char = String.fromCodePoint(point);
    if (char === '\\' || char === "'") out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (point < 0x20 || point === 0x7f) out += `\\x${hex(point, 2)}`;
    else out += char;
  }
  return `${out}'`;
}
