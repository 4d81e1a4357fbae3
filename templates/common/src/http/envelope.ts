/**
 * Response schemas of the success envelope. Serializing through them drops
 * any property a schema does not declare, so a column added to a table
 * never leaks into responses by accident.
 */
export function oneSchema(item: object): object {
  return {
    type: 'object',
    properties: { success: { type: 'boolean' }, data: item },
  };
}

/** `{ success, data: [...], meta: { page, limit, total, nextCursor } }`. */
export function listSchema(item: object): object {
  return {
    type: 'object',
    properties: {
      success: { type: 'boolean' },
      data: { type: 'array', items: item },
      meta: {
        type: 'object',
        properties: {
          page: { type: 'integer' },
          limit: { type: 'integer' },
          total: { type: 'integer' },
          totalExact: { type: 'boolean' },
          nextCursor: { type: ['string', 'null'] },
        },
      },
    },
  };
}

/** A page of a list, as the data layer returns it. */
export interface ListPage<T> {
  items: T[];
  limit: number;
  /** Page mode only (absent with a cursor). */
  page?: number;
  /** The first page's number where it is not 1: 0 where the spec's pages count from 0. */
  firstPage?: number;
  total?: number;
  /** False when `total` is the planner's estimate (more rows than the exact-count limit). */
  totalExact?: boolean;
  /** The cursor of the next page when sorting by id; null at the end. */
  nextCursor: string | null;
}

/** The list envelope's meta from a page. */
export function listMeta(page: ListPage<unknown>): Record<string, unknown> {
  return {
    ...(page.page !== undefined ? { page: page.page } : {}),
    limit: page.limit,
    ...(page.total !== undefined ? { total: page.total, totalExact: page.totalExact ?? true } : {}),
    nextCursor: page.nextCursor,
  };
}

/**
 * A page's place when the spec's list answer is a bare array (no room for
 * `meta`): `X-Total-Count` (and `X-Total-Exact: false` for an estimate) and
 * `X-Next-Cursor` for the keyset cursor.
 */
export function listHeaders(page: ListPage<unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (page.total !== undefined) {
    headers['x-total-count'] = String(page.total);
    if (page.totalExact === false) headers['x-total-exact'] = 'false';
  }
  if (page.nextCursor) headers['x-next-cursor'] = page.nextCursor;
  return headers;
}

/**
 * The row without the optional properties that are null: where the document
 * the app serves declares them optional and not nullable, an absent property
 * is what a client expects (a null would break its schema). `embedded` gives
 * the same list for each relation embedded with `?include=` (its own
 * resource's properties), so an embedded row keeps to its schema too.
 */
export function withoutNulls<T extends object>(
  row: T,
  optional: readonly string[],
  embedded: Readonly<Record<string, readonly string[]>> = {},
): T {
  const record = row as Record<string, unknown>;
  let touched = false;
  for (const k of optional) if (record[k] === null) touched = true;
  for (const k of Object.keys(embedded)) if (record[k] != null) touched = true;
  // The common case (nothing null, nothing embedded) answers the row itself: no copy per row.
  if (!touched) return row;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === null && optional.includes(k)) continue;
    const inner = embedded[k];
    out[k] = inner && v !== null && typeof v === 'object' ? withoutNulls(v, inner) : v;
  }
  return out as T;
}

/** One property of a list answer the spec declares as a page object (see tenon's docs/scaffold.md). */
export type PageValue =
  | {
      name: string;
      from: 'items' | 'total' | 'limit' | 'page' | 'hasNext' | 'hasPrev' | 'nextCursor' | 'prevCursor';
      notNull?: boolean;
    }
  | { name: string; value: unknown }
  | { name: string; of: readonly PageValue[] };

/**
 * A list answer in the spec's page shape (`{ object: 'list', page: {...},
 * items: [...] }`): each property from the page the data layer returned, or
 * the value the spec fixes for it. Keyset pages have no previous cursor.
 */
export function pageAnswer(page: ListPage<unknown>, items: unknown[], shape: readonly PageValue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const first = page.firstPage ?? 1;
  const number = page.page ?? first;
  for (const v of shape) {
    if ('value' in v) out[v.name] = v.value;
    else if ('of' in v) out[v.name] = pageAnswer(page, items, v.of);
    else {
      const cursor = (c: string | null) => (c === null && v.notNull ? '' : c);
      out[v.name] = {
        items,
        total: page.total ?? items.length,
        limit: page.limit,
        page: number,
        hasNext: page.nextCursor !== null || (page.total !== undefined && (number - first + 1) * page.limit < page.total),
        hasPrev: page.page !== undefined && page.page > first,
        nextCursor: cursor(page.nextCursor),
        prevCursor: cursor(null),
      }[v.from];
    }
  }
  return out;
}
