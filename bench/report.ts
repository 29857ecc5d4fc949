// The results table, with the targets beside the measured numbers.
import type { LoadResult } from './load.ts';

export type Scenario = 'baseline' | 'create' | 'get' | 'pay';

/** The targets: req/s as a share of the baseline's, and a p99 latency ceiling. */
export const TARGETS: Record<Exclude<Scenario, 'baseline'>, { minRatio: number }> = {
  create: { minRatio: 0.3 },
  get: { minRatio: 0.5 },
  pay: { minRatio: 0.2 },
};
export const TARGET_P99_MS = 25;

export interface Row {
  scenario: Scenario;
  result: LoadResult;
}

const HEADERS = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'vs baseline'];
const TARGET_HEADERS = ['target', 'met'];

/** One table for one engine; ratios are to that engine's baseline row. */
export function formatTable(rows: Row[]): string {
  const baseline = rows.find((row) => row.scenario === 'baseline')?.result.requestsPerSecond;
  const cells = rows.map(({ scenario, result }) => {
    const ratio = baseline ? result.requestsPerSecond / baseline : undefined;
    const measured = [
      scenario,
      result.requestsPerSecond.toFixed(0),
      result.p50Ms.toFixed(1),
      result.p99Ms.toFixed(1),
      String(result.non2xx),
      String(result.errors),
      scenario === 'baseline' || ratio === undefined ? '' : `${(ratio * 100).toFixed(0)}%`,
    ];
    if (scenario === 'baseline') return [...measured, '', ''];
    const { minRatio } = TARGETS[scenario];
    const met = ratio !== undefined && ratio >= minRatio && result.p99Ms < TARGET_P99_MS;
    return [
      ...measured,
      `≥ ${(minRatio * 100).toFixed(0)}%, p99 < ${TARGET_P99_MS} ms`,
      met ? 'yes' : 'no',
    ];
  });
  return alignColumns([[...HEADERS, ...TARGET_HEADERS], ...cells]);
}

/** Pads each column to its widest cell: text to the left, numbers to the right. */
function alignColumns(table: string[][]): string {
  const widths = table[0]!.map((_, column) =>
    Math.max(...table.map((row) => (row[column] ?? '').length)),
  );
  const numeric = (column: number) => column > 0 && column < HEADERS.length;
  const format = (row: string[]) =>
    row
      .map((cell, column) =>
        numeric(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  const [header, ...body] = table;
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [format(header!), rule, ...body.map(format)].join('\n');
}
