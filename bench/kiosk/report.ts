// Summaries of the samples and the closing table.

/** The nearest-rank percentile: always a value that was measured, never an interpolation. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return Math.abs(value) < 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(0)} ms`;
}

/** "p50 / p95" of latency samples. */
export function p50p95(samples: number[]): string {
  return `${ms(percentile(samples, 50))} / ${ms(percentile(samples, 95))}`;
}

/** "median (min–max)", for the handful of cold starts. */
export function medianRange(samples: number[]): string {
  if (samples.length === 0) return '–';
  const median = percentile(samples, 50);
  return `${ms(median)} (${ms(Math.min(...samples))}–${ms(Math.max(...samples))})`;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

export function growth(before: number, after: number): string {
  if (!(before > 0)) return '–';
  const percent = ((after - before) / before) * 100;
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%`;
}

export interface TableRow {
  measure: string;
  value: string;
  baseline?: string;
  note?: string;
}

/** A heading for the rows after it, up to the next heading. */
export interface Heading {
  heading: string;
}

/** A plain-text table: headings flush left, their rows indented under them. */
export function formatTable(rows: (TableRow | Heading)[]): string {
  const cells = (row: TableRow) => [
    `  ${row.measure}`,
    row.value,
    row.baseline ?? '',
    row.note ?? '',
  ];
  const header = ['measure', 'measured', 'baseline (same run)', 'note'];
  const body = rows.flatMap((row) => ('heading' in row ? [] : [cells(row)]));
  const widths = header.map((_, column) =>
    Math.max(...[header, ...body].map((row) => row[column]!.length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [
    line(header),
    rule,
    ...rows.map((row) => ('heading' in row ? row.heading : line(cells(row)))),
  ].join('\n');
}

/** Pino's levels: 40 warn, 50 error, 60 fatal. */
const WARN = 40;
const ERROR = 50;

/** Fields every pino line carries; the rest is what a message is about. */
const ROUTINE_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg']);

/**
 * What a host's log says went wrong: counts, and each distinct message once, with the fields
 * of its first occurrence (what ended a stream, which request...).
 */
export function logProblems(lines: string[]): {
  warnings: number;
  errors: number;
  messages: string[];
} {
  let warnings = 0;
  let errors = 0;
  const messages = new Map<string, string>();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const level = typeof entry['level'] === 'number' ? entry['level'] : 0;
    if (level < WARN) continue;
    if (level >= ERROR) errors++;
    else warnings++;
    const message = `${level >= ERROR ? 'error' : 'warn'}: ${String(entry['msg'] ?? '(no message)')}`;
    if (messages.has(message)) continue;
    const fields = Object.fromEntries(
      Object.entries(entry).filter(([field]) => !ROUTINE_FIELDS.has(field)),
    );
    const context = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    messages.set(message, `${message}${context}`.slice(0, 300));
  }
  return { warnings, errors, messages: [...messages.values()] };
}
