export interface Row {
  measure: string;
  result: string;
  target?: string;
  /** Positive when better than the target, as a fraction of it. */
  margin?: number;
  how: string;
}

/** "met" or how far off, so a missed target says by how much. */
export function verdict(margin: number | undefined): string {
  if (margin === undefined) return '';
  return margin >= 0 ? 'met' : `missed by ${Math.round(-margin * 100)}%`;
}

/** margin for "at least target" (higher is better). */
export const atLeast = (value: number, target: number) => (value - target) / target;
/** margin for "at most target" (lower is better). */
export const atMost = (value: number, target: number) => (target - value) / target;

export function printTable(rows: readonly Row[]): void {
  const cells = rows.map((row) => [row.measure, row.result, row.target ?? '', verdict(row.margin), row.how]);
  const header = ['measure', 'result', 'target', 'verdict', 'command / setup'];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column]!.length)));
  const line = (values: string[]) => values.map((value, column) => value.padEnd(widths[column]!)).join(' | ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
  for (const cell of cells) console.log(line(cell));
}
