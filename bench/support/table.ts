/**
 * A plain-text table for benchmark output: left-aligned first column, right-aligned figures.
 *
 * @example
 * formatTable(['server', 'req/s'], [['echo', '41,200'], ['sqlite', '9,800']]);
 * // server   req/s
 * // echo    41,200
 * // sqlite   9,800
 */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** `12345.6` → `12,346`. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** `0.4567` → `0.46×`. */
export function formatRatio(value: number): string {
  return `${value.toFixed(2)}×`;
}

/** Milliseconds with two decimals: `1.234` → `1.23 ms`. */
export function formatMs(value: number): string {
  return `${value.toFixed(2)} ms`;
}
