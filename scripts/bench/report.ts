/** Medians, spreads and the table `npm run bench` prints. */

export interface Summary {
  median: number;
  /** 25th and 75th percentiles (linear interpolation). */
  p25: number;
  p75: number;
  min: number;
  max: number;
  samples: number[];
}

export function summarize(samples: number[]): Summary {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => {
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    const a = sorted[lo] ?? 0;
    const b = sorted[hi] ?? a;
    return a + (b - a) * (pos - lo);
  };
  return {
    median: at(0.5),
    p25: at(0.25),
    p75: at(0.75),
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
    samples: samples.map((s) => round(s, 2)),
  };
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const ms = (value: number): string => `${value.toFixed(1)} ms`;
/** A difference with its sign: `+12.0 ms`, `-3.1 ms`. */
export const signedMs = (value: number): string => `${value < 0 ? '-' : '+'}${ms(Math.abs(value))}`;
export const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;
/** A median with its interquartile range, e.g. `41.2 ms (38.0–45.1)`. */
export const msSpread = (s: Summary): string => `${ms(s.median)} (${s.p25.toFixed(0)}–${s.p75.toFixed(0)})`;

export interface Line {
  /** The line of issue 8, section 1 (1 to 6). */
  line: string;
  what: string;
  /** The figure measured (median and interquartile range). */
  measured: string;
  /** Its floor, measured in the same run. */
  floor: string;
  /** The figure compared with the budget: a size, a ratio or a difference. */
  result: string;
  budget: string;
  pass: boolean;
  /** Everything behind the line, for artifacts/bench.json. */
  data: Record<string, unknown>;
}

export function table(lines: Line[]): string {
  const header = ['#', 'what', 'measured: median (IQR)', 'floor, same run', 'result', 'budget', ''];
  const rows = lines.map((l) => [
    l.line,
    l.what,
    l.measured,
    l.floor,
    l.result,
    l.budget,
    l.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(format)].join('\n');
}
