import stringWidth from 'string-width';

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Column indexes to right-align (numbers). */
  alignRight?: readonly number[];
}

/** Printable ASCII: its width is its length, no need to measure (the common case, and status tables are long). */
const ASCII = /^[\x20-\x7e]*$/;

/** Columns a cell takes on a terminal: ANSI colors take none, wide characters two, combining marks none. */
function width(text: string): number {
  return ASCII.test(text) ? text.length : stringWidth(text);
}

function cellText(cell: unknown): string {
  if (cell === undefined || cell === null) return '';
  // A table row is one line: a line break inside a cell would shift every column after it.
  return String(cell).replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * Renders rows as a borderless, aligned table with a header line, the way
 * `psql` and `kubectl get` print them: columns two spaces apart, no
 * trailing spaces. The only table renderer of the CLI; it pads by hand, so
 * thousands of rows (`migrate status` on a long history) cost next to nothing.
 */
export function renderTable(
  head: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: TableOptions = {},
): string {
  const cells = [head, ...rows].map((row) => row.map(cellText));
  const columns = Math.max(...cells.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(0, ...cells.map((row) => (row[i] === undefined ? 0 : width(row[i]!)))),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - width(cell));
        return options.alignRight?.includes(i) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return `${cells.map(line).join('\n')}\n`;
}
