import type { Schema } from './json-schemas.js';

/** Whether a schema holds a union fast-json-stringify would write by its first fitting branch. */
function holdsUnion(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(holdsUnion);
  if (typeof schema !== 'object' || schema === null) return false;
  const s = schema as Schema;
  const nullWrapper =
    Array.isArray(s.anyOf) &&
    s.anyOf.length === 2 &&
    s.anyOf.some((b) => (b as Schema).type === 'null' && Object.keys(b as Schema).length === 1);
  if ((Array.isArray(s.oneOf) || Array.isArray(s.anyOf)) && !nullWrapper) return true;
  return Object.values(s).some(holdsUnion);
}

/**
 * The schema an answer is serialized with: the item's, except that a property whose schema
 * holds a `oneOf`/`anyOf` (a JSON value such as an order's `items: oneOf [Beverage, Dessert]`)
 * is written as it is stored. fast-json-stringify writes a union by its first fitting branch
 * and drops the properties only a later branch declares (`anyOf [{a}, {a, b}]` answers
 * `{a}` for `{a, b}`); the value was validated against the spec's union when it was written.
 */
export function serializationSchema(schema: Schema): Schema {
  const properties = schema.properties as Schema | undefined;
  if (!properties) return schema;
  const out: Schema = {};
  for (const [name, sub] of Object.entries(properties)) {
    const s = sub as Schema;
    // `{}`: any JSON, written as it is (null included).
    out[name] = s.properties ? serializationSchema(s) : holdsUnion(s) ? {} : s;
  }
  return { ...schema, properties: out };
}
