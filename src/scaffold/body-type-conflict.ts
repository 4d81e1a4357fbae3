import type { FieldKind, FieldModel } from './api-model.js';

/** The JSON types a column of each kind stores (`json` stores any, so it never conflicts). */
const STORED: Partial<Record<FieldKind, readonly string[]>> = {
  string: ['string'],
  text: ['string'],
  uuid: ['string'],
  email: ['string'],
  uri: ['string'],
  date: ['string'],
  datetime: ['string'],
  enum: ['string'],
  // Integers and numbers are one family here: a fractional value in an integer column is
  // refused by validation as it always was; the conflict is a value of another JSON type.
  integer: ['integer', 'number'],
  bigint: ['integer', 'number'],
  number: ['integer', 'number'],
  decimal: ['integer', 'number'],
  boolean: ['boolean'],
};

/**
 * What a request body's property declares that the column the answers gave
 * it cannot store, or undefined when every value it accepts fits: JSON types
 * of another kind (listmonk's campaign `send_at`: an object in the request,
 * a date-time string in the answers), or any string where the answers allow
 * only an enum's values (listmonk's campaign `type`: a string in the request,
 * `regular` or `optin` in the answers). A body schema naming no type (a
 * `oneOf`, `{}`) is left to the column's validation, as it always was.
 */
export function bodyTypeConflict(
  field: Pick<FieldModel, 'kind' | 'enumValues'>,
  body: Record<string, unknown>,
): string | undefined {
  const stored = STORED[field.kind];
  if (!stored) return undefined;
  const declared = (Array.isArray(body.type) ? body.type : [body.type]).filter(
    (t): t is string => typeof t === 'string' && t !== 'null',
  );
  const foreign = declared.filter((t) => !stored.includes(t));
  if (foreign.length > 0) return foreign.join(' or ');
  if (field.kind !== 'enum' || !declared.includes('string')) return undefined;
  const allowed = new Set(field.enumValues ?? []);
  const values = Array.isArray(body.enum) ? body.enum : undefined;
  if (!values) return 'any string';
  const outside = values.filter((v) => typeof v === 'string' && !allowed.has(v));
  return outside.length > 0 ? `${outside.map((v) => JSON.stringify(v)).join(' or ')} too` : undefined;
}
