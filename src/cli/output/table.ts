import Table from 'cli-table3';

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Column indexes to right-align (numbers). */
  alignRight?: readonly number[];
}

/**
 * Renders rows as a borderless, aligned table with a header line, the way
 * `psql` and `kubectl get` print them.
 */
export function renderTable(
  head: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: TableOptions = {},
): string {
  const table = new Table({
    head: [...head],
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colAligns: head.map((_, i) => (options.alignRight?.includes(i) ? 'right' : 'left')),
  });
  for (const row of rows)
    table.push(row.map((cell) => (cell === undefined || cell === null ? '' : String(cell))));
  // cli-table3 pads the last column; trailing spaces only get in the way of diffs and copy-paste.
  const text = table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
  return `${text}\n`;
}
