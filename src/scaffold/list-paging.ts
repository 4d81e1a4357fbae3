import type { ResourceModel } from './api-model.js';

/** The schema of a list parameter the spec declares (`page`, `offset`), if it declares it. */
function declared(resource: ResourceModel, name: string): Record<string, unknown> | undefined {
  return resource.served?.listQuery?.find((p) => p.name === name)?.schema;
}

/**
 * Whether the spec declares an integer `offset` on the list (RealWorld's `limit` and `offset`):
 * the rows skipped, applied by the repository in place of the page's.
 */
export function listOffset(resource: ResourceModel): boolean {
  return declared(resource, 'offset')?.type === 'integer';
}

/**
 * The smallest integer a schema's lower bounds let through, if it sets one: `minimum: 0` and
 * `exclusiveMinimum: -1` both take 0 first (3.0's `exclusiveMinimum: true` is a number by now).
 */
export function lowestInteger(schema: Record<string, unknown> | undefined): number | undefined {
  const bounds: number[] = [];
  if (typeof schema?.minimum === 'number') bounds.push(Math.ceil(schema.minimum));
  if (typeof schema?.exclusiveMinimum === 'number') bounds.push(Math.floor(schema.exclusiveMinimum) + 1);
  return bounds.length > 0 ? Math.max(...bounds) : undefined;
}

/** The smallest page the spec's own integer `page` takes, if it bounds it. */
function pageMinimum(resource: ResourceModel): number | undefined {
  const page = declared(resource, 'page');
  return page?.type === 'integer' ? lowestInteger(page) : undefined;
}

/**
 * The number of a list's first page: 0 where the spec's `page` takes 0 (`minimum: 0`, or
 * `exclusiveMinimum: -1`) and its
 * default, if it gives one, is no higher (page 0 is the first page, as in Spring Data and many
 * other APIs); else tenon's 1. The default of a `page` the spec gives none is the first page.
 */
export function firstPage(resource: ResourceModel): 0 | 1 {
  const minimum = pageMinimum(resource);
  const fallback = declared(resource, 'page')?.default;
  return minimum !== undefined && minimum <= 0 && !(typeof fallback === 'number' && fallback > 0) ? 0 : 1;
}

/** How the generated repository turns a list's `page` into rows skipped. */
export interface ListPaging {
  /** The first page's number ({@link firstPage}): the page skips `(page - first) * limit` rows. */
  first: 0 | 1;
  /**
   * The spec's `page` takes numbers below the first page (`minimum: 0` beside `default: 1`, or a
   * negative minimum): those are the first page too, never a negative OFFSET (PostgreSQL's error, a 500).
   */
  belowFirst: boolean;
  /** The spec declares an integer `offset` ({@link listOffset}). */
  offset: boolean;
}

/** How a resource's list pages ({@link ListPaging}). */
export function listPaging(resource: ResourceModel): ListPaging {
  const first = firstPage(resource);
  const minimum = pageMinimum(resource);
  return { first, belowFirst: minimum !== undefined && minimum < first, offset: listOffset(resource) };
}
