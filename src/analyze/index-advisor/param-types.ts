import type { ColumnInfo } from '../catalog/foreign-keys.js';
import type { QueryShape } from '../query-shape.js';

/**
 * Parameter types for `PREPARE name (types) AS …`, from what each `$n` is
 * compared with in the parse tree and the compared column's type in the
 * catalog: `where aid = $1 + $2` gives `integer, integer`, where PostgreSQL
 * alone fails with "operator is not unique: unknown + unknown". `$n` with no
 * hint stay `unknown` (PostgreSQL infers them). Undefined when nothing
 * could be inferred.
 */
export function inferParamTypes(
  shape: QueryShape,
  columns: ReadonlyMap<string, ColumnInfo>,
  count: number,
): string[] | undefined {
  const types: string[] = [];
  let known = 0;
  for (let n = 1; n <= count; n++) {
    const hint = shape.paramHints.get(n);
    let type: string | undefined;
    if (hint && 'type' in hint) type = hint.type;
    else if (hint) {
      const column = columns.get(`${hint.table}.${hint.column}`);
      if (column) type = hint.array ? `${column.type}[]` : column.type;
    }
    if (type) known++;
    types.push(type ?? 'unknown');
  }
  return known > 0 ? types : undefined;
}

/** The same list with every `unknown` made `text`: the last try, for parameters nothing is compared with. */
export function unknownAsText(types: readonly string[] | undefined, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const type = types?.[i];
    return !type || type === 'unknown' ? 'text' : type;
  });
}

/**
 * The statement with its parameterized `LIMIT $n` replaced by the rows it
 * returned per call (pg_stat_statements) and `OFFSET $n` by 0. A generic
 * plan assumes a parameterized LIMIT fetches 10% of the rows, which hides
 * what an index serving the ORDER BY saves (`… order by price desc limit
 * $2` reads 20 rows from such an index, not 10%). Undefined when there is
 * nothing to replace or nothing was measured. The replaced `$n` stay typed
 * `bigint` in the PREPARE so the other numbers keep their meaning.
 */
export function withMeasuredLimit(
  sql: string,
  shape: QueryShape,
  rowsPerCall: number | undefined,
): string | undefined {
  const { count, offset } = shape.limitParams;
  if (!count || rowsPerCall === undefined) return undefined;
  const bytes = Buffer.from(sql, 'utf8');
  const edits = [
    { at: count, text: String(Math.max(1, Math.ceil(rowsPerCall))) },
    ...(offset ? [{ at: offset, text: '0' }] : []),
  ].sort((a, b) => b.at.location - a.at.location);
  let out = bytes;
  for (const { at, text } of edits) {
    const token = `$${at.number}`;
    if (out.subarray(at.location, at.location + token.length).toString() !== token) return undefined;
    out = Buffer.concat([
      out.subarray(0, at.location),
      Buffer.from(text),
      out.subarray(at.location + token.length),
    ]);
  }
  return out.toString('utf8');
}
