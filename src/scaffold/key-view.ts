import type { ResourceModel } from './api-model.js';
import { idGenerator } from './id-pattern.js';
import { idSchema, type Schema } from './json-schemas.js';

// A resource's key as the templates see it: the path key's schema and how new ids are made.

/**
 * The path key's schema. A spec-served integer key takes any integer JavaScript holds exactly:
 * the spec's `int64` allows 0 and negatives, which name no row (404), not a bad request (400).
 */
export function keySchema(r: ResourceModel): Schema {
  const schema = idSchema(r);
  if (looseUuidKey(r) || looseIntegerKey(r)) return { type: 'string', minLength: 1 };
  return r.served && r.idKind === 'bigint' ? { ...schema, minimum: Number.MIN_SAFE_INTEGER } : schema;
}

/** A uuid id whose path key the spec declares as any string: the repository answers a non-uuid as no row. */
export function looseUuidKey(r: ResourceModel): boolean {
  return r.idKind === 'uuid' && r.served?.keyAnyString === true;
}

/**
 * An integer id whose path key the spec declares as any string (Discourse's `/posts/{id}.json`,
 * `id: { type: string }`): the routes read the key as text and answer one no integer can be as no
 * row (404), without sending it to PostgreSQL (a bigint column refuses it: a 500).
 */
export function looseIntegerKey(r: ResourceModel): boolean {
  return r.idKind === 'bigint' && r.served?.keyAnyString === true;
}

/** The parts of a new id when the id declares a pattern tenon can make ids for (else the database's default). */
export function idPartsOf(r: ResourceModel): (string | [string, number])[] | undefined {
  const made = r.idPattern ? idGenerator(r.idPattern) : undefined;
  if (!made || 'reason' in made) return undefined;
  const parts: (string | [string, number])[] = [];
  for (const p of made.parts) {
    const last = parts.at(-1);
    // Adjacent literals read as one (`wdg_`, not `w`, `d`, `g`, `_`).
    if (typeof p === 'string' && typeof last === 'string') parts[parts.length - 1] = last + p;
    else parts.push(typeof p === 'string' ? p : [p.alphabet, p.count]);
  }
  return parts;
}
