/** The one template helper: a program is a list of lines, some of them there only under a condition. */

/** A line, a condition's leftover (`false`, `null`, `undefined`: no line), or a nested list of lines. */
export type Line = string | false | null | undefined | readonly Line[];

/** The lines flattened, the left-out ones dropped, as a file's text ending in a newline. */
export function program(...parts: readonly Line[]): string {
  return `${flatten(parts).join('\n')}\n`;
}

/** The lines flattened, each prefixed with `prefix` (an empty line stays empty). */
export function indent(prefix: string, ...parts: readonly Line[]): string[] {
  return flatten(parts).map((line) => (line === '' ? '' : prefix + line));
}

/** Comment lines: `marker text`, or the bare marker for an empty line. */
export function comment(marker: string, text: readonly string[]): string[] {
  return text.map((line) => (line === '' ? marker : `${marker} ${line}`));
}

function flatten(parts: readonly Line[]): string[] {
  const out: string[] = [];
  const add = (part: Line) => {
    if (typeof part === 'string') out.push(part);
    else if (Array.isArray(part)) for (const inner of part as readonly Line[]) add(inner);
  };
  for (const part of parts) add(part);
  return out;
}
