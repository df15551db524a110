// markdownTable: the benchmark's one table as GitHub Markdown (it is pasted
// into the README as it is printed), and the number formats its cells use.

export type Align = 'left' | 'right';

export function markdownTable(columns: ReadonlyArray<{ title: string; align: Align }>, rows: ReadonlyArray<readonly string[]>): string {
  const escape = (cell: string): string => cell.replaceAll('|', '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(escape).join(' | ')} |`;
  const rule = `|${columns.map((column) => (column.align === 'right' ? '---:' : '---')).join('|')}|`;
  for (const row of rows) {
    if (row.length !== columns.length) throw new Error(`a row has ${row.length} cells, the table ${columns.length} columns: ${row.join(' / ')}`);
  }
  return [line(columns.map((column) => column.title)), rule, ...rows.map(line)].join('\n');
}

/** `850 ms` below a second, `12.3 s` above. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms < 1000 ? `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 100_000 ? 2 : 1)} s`;
}

/** Milliseconds with one decimal, for latencies. */
export function formatMs(ms: number): string {
  return Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'n/a';
}

/** Decimal megabytes (10^6 bytes), as memory limits are usually written. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0)} MB`;
}

export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a';
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
