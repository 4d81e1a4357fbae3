import type { ErrorValue } from './api-model.js';
import { words } from './naming.js';

/**
 * The words that name each of the generated app's error codes, as specs tend to spell them in their
 * own code lists (`invalid`, `not_found`, `unauthorized`, `rate_limited`, `taken`).
 */
const SYNONYMS: Record<string, readonly string[]> = {
  VALIDATION_FAILED: [
    'validation',
    'invalid',
    'unprocessable',
    'malformed',
    'parameter',
    'bad',
    'request',
    'format',
  ],
  INVALID_JSON: ['invalid', 'json', 'malformed', 'parse', 'syntax', 'bad', 'request', 'body'],
  BAD_REQUEST: ['bad', 'request', 'invalid', 'malformed'],
  WEAK_PASSWORD: ['password', 'weak', 'invalid', 'validation'],
  UNAUTHENTICATED: [
    'unauthorized',
    'unauthenticated',
    'authentication',
    'auth',
    'login',
    'token',
    'required',
  ],
  INVALID_CREDENTIALS: [
    'credentials',
    'unauthorized',
    'unauthenticated',
    'authentication',
    'password',
    'invalid',
  ],
  INVALID_TOKEN: ['token', 'expired', 'unauthorized', 'unauthenticated', 'invalid'],
  FORBIDDEN: ['forbidden', 'permission', 'denied', 'access', 'scope', 'insufficient'],
  NOT_FOUND: ['not', 'found', 'missing', 'unknown', 'exist', 'nonexistent'],
  CONFLICT: ['conflict', 'taken', 'exists', 'duplicate', 'already', 'unique'],
  EMAIL_TAKEN: ['email', 'taken', 'exists', 'duplicate', 'already', 'conflict', 'unique'],
  IDEMPOTENCY_KEY_IN_USE: ['idempotency', 'conflict', 'progress', 'concurrent', 'locked', 'use'],
  NOT_ACCEPTABLE: ['acceptable', 'accept', 'media', 'format'],
  UNSUPPORTED_MEDIA_TYPE: ['unsupported', 'media', 'content', 'type'],
  TOO_MANY_REQUESTS: ['rate', 'limit', 'limited', 'many', 'throttled', 'quota', 'requests'],
  INTERNAL: ['internal', 'server', 'error', 'unexpected', 'unknown'],
};

/** How well an enum value names a code: an exact spelling wins, then the share of its words that fit. */
function score(value: string, code: string): number {
  const own = words(value);
  if (own.join('_') === code.toLowerCase()) return 100;
  const fits = SYNONYMS[code] ?? [];
  return own.filter((w) => fits.includes(w)).length / Math.max(own.length, 1);
}

/**
 * The value of an error `code` property the spec limits to an enum: for each of the generated app's
 * codes the enum value that names it best, the first value for the rest (`otherwise`). Every value
 * comes from the enum, so the body still satisfies the schema whichever code the app raises.
 */
export function enumCodeValue(values: readonly unknown[]): ErrorValue {
  const strings = values.filter((v): v is string => typeof v === 'string');
  const byCode: Record<string, unknown> = {};
  for (const code of Object.keys(SYNONYMS)) {
    let best: string | undefined;
    let bestScore = 0;
    for (const v of strings) {
      const s = score(v, code);
      if (s > bestScore) [best, bestScore] = [v, s];
    }
    if (best !== undefined) byCode[code] = best;
  }
  return Object.keys(byCode).length > 0 ? { byCode, otherwise: values[0] } : { value: values[0] };
}
