import { notFound } from './errors.js';

/**
 * The integer id a path key names where the spec declares the key as any text (Discourse's
 * `/posts/{id}.json`, `id: { type: string }`): text no safe integer can be names no row (404),
 * and is never sent to PostgreSQL (a bigint column refuses it: a 500). `resource` names the 404.
 */
export function integerKeyOf(value: string, resource: string): number {
  const id = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw notFound(resource);
  return id;
}
