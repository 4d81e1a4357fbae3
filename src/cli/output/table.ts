import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Column indexes to right-align (numbers). */
  alignRight?: readonly number[];
  /**
   * Fixed widths, per column (`undefined`: as wide as its widest cell). A
   * cell wider than its column is wrapped at spaces (a longer word is cut),
   * so a row may take several lines.
   */
  widths?: readonly (number | undefined)[];
  /** Printed before every line, e.g. two spaces to nest a table under a heading. */
  indent?: string;
}

/**
 * Characters one column wide each: printable ASCII (the common case, and status tables are long),
 * Latin-1 and Latin Extended letters, general punctuation (… — –), arrows and mathematical
 * operators (≥ →), which tenon's own messages use. Such a text's width is its length, no need to
 * measure (every one of these was checked against string-width; combining marks, soft hyphen,
 * zero-width and bidi characters are left out).
 */
const NARROW = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u22ff]*$/;

/** The color codes picocolors writes (SGR): they take no columns. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the color codes this matches.
const SGR = /\u001b\[[0-9;]*m/g;

/**
 * string-width, loaded on the first text that is not all {@link NARROW} characters: its Unicode
 * tables cost ~30 ms of CPU at start-up (docs/migrate.md#performance), and
 * most tables (`migrate status`) are plain ASCII.
 */
let stringWidth: ((text: string) => number) | undefined;

/** Columns a text takes on a terminal: ANSI colors take none, wide characters two, combining marks none. */
export function displayWidth(text: string): number {
  if (NARROW.test(text)) return text.length;
  const plain = text.replace(SGR, '');
  if (NARROW.test(plain)) return plain.length;
  stringWidth ??= (require('string-width') as typeof import('string-width')).default;
  return stringWidth(text);
}

/** Cuts a word longer than `width` into pieces that fit. */
function cut(word: string, width: number): string[] {
  // One column a character: slices, instead of measuring the growing piece at every character.
  if (NARROW.test(word)) {
    const slices: string[] = [];
    for (let at = 0; at < word.length; at += width) slices.push(word.slice(at, at + width));
    return slices;
  }
  const pieces: string[] = [];
  let piece = '';
  for (const char of word) {
    if (piece && displayWidth(piece + char) > width) {
      pieces.push(piece);
      piece = '';
    }
    piece += char;
  }
  return piece ? [...pieces, piece] : pieces;
}

/** The lines of one line of text wrapped at spaces to `width` columns. */
function wrap(line: string, width: number): string[] {
  if (displayWidth(line) <= width) return [line];
  const out: string[] = [];
  let current = '';
  // Widths add up word by word (a space takes one column): measuring the growing line again
  // for every word made long cells (lint's findings table) quadratic.
  let currentWidth = 0;
  for (const word of line.split(/ +/).flatMap((w) => (displayWidth(w) > width ? cut(w, width) : [w]))) {
    const wordWidth = displayWidth(word);
    if (current && currentWidth + 1 + wordWidth > width) {
      out.push(current);
      current = word;
      currentWidth = wordWidth;
    } else {
      currentWidth = current ? currentWidth + 1 + wordWidth : wordWidth;
      current = current ? `${current} ${word}` : word;
    }
  }
  return current ? [...out, current] : out;
}

function cellLines(cell: unknown, width: number | undefined): string[] {
  if (cell === undefined || cell === null) return [''];
  const lines = String(cell).split(/\r?\n/);
  return width === undefined ? lines : lines.flatMap((line) => wrap(line, width));
}

/**
 * Renders rows as a borderless, aligned table with a header line, the way
 * `psql` and `kubectl get` print them: columns two spaces apart, no
 * trailing spaces, a line break in a cell (or wrapping, with `widths`)
 * making a taller row. The only table renderer of the CLI; it pads by hand,
 * so thousands of rows (`migrate status` on a long history) cost next to nothing.
 */
export function renderTable(
  head: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: TableOptions = {},
): string {
  const fixed = options.widths ?? [];
  const table = [head, ...rows].map((row) => row.map((cell, i) => cellLines(cell, fixed[i])));
  const columns = Math.max(...table.map((row) => row.length));
  const widths = Array.from(
    { length: columns },
    (_, i) =>
      fixed[i] ?? Math.max(0, ...table.flatMap((row) => (row[i] ?? []).map((line) => displayWidth(line)))),
  );
  const indent = options.indent ?? '';
  const out: string[] = [];
  for (const row of table) {
    const height = Math.max(1, ...row.map((lines) => lines.length));
    for (let k = 0; k < height; k++) {
      const line = Array.from({ length: columns }, (_, i) => {
        const text = row[i]?.[k] ?? '';
        const pad = ' '.repeat(Math.max(0, widths[i]! - displayWidth(text)));
        return options.alignRight?.includes(i) ? pad + text : text + pad;
      })
        .join('  ')
        .trimEnd();
      out.push(line ? indent + line : '');
    }
  }
  return `${out.join('\n')}\n`;
}
