import * as z from 'zod';

/**
 * Schemas for values that arrive as strings from flags and environment
 * variables but as typed values from config files. Each accepts both.
 */

/** A whole number ≥ `min`, given as a number or a decimal string. */
export function intSchema(min = 0) {
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const n = typeof value === 'number' ? value : /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a whole number ≥ ${min} (got ${JSON.stringify(value)})`,
      });
      return z.NEVER;
    }
    return n;
  });
}

/** A boolean, given as a boolean or as `true`/`false`/`1`/`0`/`yes`/`no`. */
export const booleanSchema = z.union([z.boolean(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  ctx.addIssue({ code: 'custom', message: `expected true or false (got ${JSON.stringify(value)})` });
  return z.NEVER;
});

/** A PostgreSQL identifier tenon creates or quotes itself: letters, digits, `_`, at most 63 bytes. */
export const identifierSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,62}$/,
    'expected a plain identifier: letters, digits and _, at most 63 characters',
  );
