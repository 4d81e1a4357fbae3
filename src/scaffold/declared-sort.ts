import { quoteIdent } from '../core/sql/quote.js';
import type { ModelWarning, ResourceModel } from './api-model.js';
import { toSnake } from './naming.js';

/** The values of the spec's own `sort` query parameter on a resource's list (its enum), if any. */
function declaredSortValues(r: ResourceModel): string[] {
  const sort = r.served?.listQuery?.find((p) => p.name === 'sort' && p.in === 'query');
  const values = sort?.schema.enum;
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Whether the spec's own `sort` query parameter takes any text (`sort: { type: string }`, no
 * enum): every value it allows is accepted, and one that names no sortable column sorts by id.
 */
export function openSort(r: ResourceModel): boolean {
  const sort = r.served?.listQuery?.find((p) => p.name === 'sort' && p.in === 'query');
  return sort !== undefined && sort.schema.enum === undefined && sort.schema.type !== 'array';
}

/** The column a sort key names: a sortable field (by API or column name) or a timestamp. */
function columnOf(r: ResourceModel, key: string): string | undefined {
  if (key === 'id') return 'id';
  const f = r.fields.find((x) => (x.name === key || x.column === key) && x.sortable && !x.writeOnly);
  if (f) return quoteIdent(f.column);
  if (key === r.createdAtName || key === 'created_at') return 'created_at';
  if (key === r.updatedAtName || key === 'updated_at') return 'updated_at';
  return toSnake(key) === 'created_at' ? 'created_at' : undefined;
}

/**
 * The sort keys of a list, widened with the values of the spec's own `sort` parameter
 * (karakeep's `GET /tags?sort=name|usage`, default `usage`): the spec's enum replaces tenon's
 * in validation, so each of its values must sort. A value naming a sortable field sorts by its
 * column; any other (`usage`, a computed figure) is accepted and sorts by id, as without `sort`
 * ({@link declaredSortNotes} reports which).
 */
export function withDeclaredSort(r: ResourceModel, columns: Record<string, string>): Record<string, string> {
  const out = { ...columns };
  for (const value of declaredSortValues(r)) {
    const key = value.startsWith('-') ? value.slice(1) : value;
    if (!(key in out)) out[key] = columnOf(r, key) ?? 'id';
  }
  return out;
}

/** The report's note on each value of the spec's `sort` that names no column (sorted by id). */
export function declaredSortNotes(r: ResourceModel): ModelWarning[] {
  const ignored = declaredSortValues(r)
    .map((v) => (v.startsWith('-') ? v.slice(1) : v))
    .filter((k) => columnOf(r, k) === undefined);
  const open: ModelWarning[] = openSort(r)
    ? [
        {
          at: r.source,
          message: `GET ${r.served?.collection}: the spec's sort takes any value: one that names no sortable property of ${r.name} is accepted and sorted by id; order the rows yourself in list() of src/resources/${r.kebab}.service.ts.`,
        },
      ]
    : [];
  if (ignored.length === 0) return open;
  return [
    ...open,
    {
      at: r.source,
      message: `GET ${r.served?.collection}: the spec's sort value${ignored.length > 1 ? 's' : ''} ${ignored.join(', ')} name${ignored.length > 1 ? '' : 's'} no column of ${r.name}: accepted and sorted by id; order the rows yourself in list() of src/resources/${r.kebab}.service.ts.`,
    },
  ];
}

/**
 * Whether the list's validation takes `value` as its `sort`: the spec's enum when it declares
 * one (karakeep's `name|usage` refuses tenon's `id`), any text when its sort is open, else
 * tenon's whitelist ({@link sortKeys}: `id`, the sortable fields and the stamps, each with `-`).
 */
export function acceptsSort(r: ResourceModel, value: string, sortKeys: readonly string[]): boolean {
  const declared = declaredSortValues(r);
  if (declared.length > 0) return declared.includes(value);
  if (openSort(r)) return true;
  return sortKeys.includes(value);
}

/**
 * The `sort` value the generated tests send for rows in id order (ascending, or descending
 * with `desc`): `id`/`-id` when the list takes it, else a value of the spec's own enum that
 * sorts by id (karakeep's `usage`, which names no column), else none: the tests that need that
 * order are not written.
 */
export function idSortValue(
  r: ResourceModel,
  desc: boolean,
  sortKeys: readonly string[],
): string | undefined {
  const own = desc ? '-id' : 'id';
  if (acceptsSort(r, own, sortKeys)) return own;
  return declaredSortValues(r).find(
    (v) => v.startsWith('-') === desc && (columnOf(r, desc ? v.slice(1) : v) ?? 'id') === 'id',
  );
}
