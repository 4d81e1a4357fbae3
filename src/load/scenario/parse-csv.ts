/**
 * Parses CSV text (RFC 4180: comma separated, `"` quoting with `""` for a
 * quote, CRLF or LF line ends) whose first line names the columns.
 *
 * @returns one object per data line; empty lines are skipped.
 * @throws Error with the line number when a quote is not closed or a line has more fields than the header.
 */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let line = 1;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      record.push(field);
      if (record.length > 1 || record[0] !== '') records.push(record);
      record = [];
      field = '';
      line++;
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error(`line ${line}: a quoted field is not closed`);
  record.push(field);
  if (record.length > 1 || record[0] !== '') records.push(record);
  const [header, ...rows] = records;
  if (!header) return [];
  return rows.map((row, i) => {
    if (row.length > header.length)
      throw new Error(`line ${i + 2}: ${row.length} fields, the header has ${header.length}`);
    return Object.fromEntries(header.map((name, j) => [name.trim(), row[j] ?? '']));
  });
}
