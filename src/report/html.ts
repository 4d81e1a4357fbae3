/** Escapes text for HTML element content and attribute values (numeric character references). */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A cell of {@link htmlTable}: text, or text with a tone (`good`, `bad`, `warn`, `muted`). */
export type Cell = string | number | { text: string | number; tone?: 'good' | 'bad' | 'warn' | 'muted' };

/** Options of {@link htmlTable}. */
export interface HtmlTableOptions {
  /** Column indexes holding numbers (right-aligned). */
  numeric?: readonly number[];
  caption?: string;
}

/** Renders an HTML table; every cell is escaped. */
export function htmlTable(
  head: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: HtmlTableOptions = {},
): string {
  const num = new Set(options.numeric ?? []);
  const th = head.map((h, i) => `<th${num.has(i) ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((row) => {
      const tds = row.map((cell, i) => {
        const { text, tone } = typeof cell === 'object' ? cell : { text: cell, tone: undefined };
        const classes = [num.has(i) ? 'num' : '', tone ?? ''].filter(Boolean).join(' ');
        return `<td${classes ? ` class="${classes}"` : ''}>${escapeHtml(text)}</td>`;
      });
      return `<tr>${tds.join('')}</tr>`;
    })
    .join('\n');
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : '';
  return `<table>${caption}<thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A row of headline figures ("cards"): label, value and an optional tone. */
export function figureCards(
  items: readonly { label: string; value: string; tone?: 'good' | 'bad' | 'warn' }[],
): string {
  const cards = items
    .map(
      (i) =>
        `<div class="card${i.tone ? ` ${i.tone}` : ''}"><div class="label">${escapeHtml(i.label)}</div><div class="value">${escapeHtml(i.value)}</div></div>`,
    )
    .join('');
  return `<div class="cards">${cards}</div>`;
}

/** A list of notes, each with a tone. */
export function noteList(
  items: readonly { text: string; tone?: 'warn' | 'info' | 'bad' | 'good' }[],
): string {
  if (items.length === 0) return '<p class="muted">None.</p>';
  return `<ul class="notes">${items.map((i) => `<li class="${i.tone ?? 'info'}">${escapeHtml(i.text)}</li>`).join('')}</ul>`;
}
