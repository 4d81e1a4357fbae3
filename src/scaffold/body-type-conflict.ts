import type { FieldKind } from './api-model.js';

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
 * The JSON types a request body's property declares that the column the
 * answers gave it cannot store (listmonk's campaign `send_at`: an object in
 * the request, a date-time string in the answers), or undefined when every
 * declared type fits — or the body's schema names no type (a `oneOf`, `{}`),
 * whose values the column's validation has always decided.
 */
export function bodyTypeConflict(kind: FieldKind, body: Record<string, unknown>): string[] | undefined {
  const stored = STORED[kind];
  if (!stored) return undefined;
  const declared = (Array.isArray(body.type) ? body.type : [body.type]).filter(
    (t): t is string => typeof t === 'string' && t !== 'null',
  );
  const foreign = declared.filter((t) => !stored.includes(t));
  return foreign.length > 0 ? foreign : undefined;
}
