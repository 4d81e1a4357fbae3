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
