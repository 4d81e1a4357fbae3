/**
 * The error codes the generated app raises (the templates' `new AppError(status, CODE, …)` and the
 * framework errors the error handlers translate), each with the words that name it as specs tend to
 * spell codes in their own lists (`invalid`, `not_found`, `unauthorized`, `rate_limited`, `taken`).
 *
 * The templates are copied into the project verbatim, so they spell the codes themselves; the unit
 * test `test/scaffold/app-error-codes.test.ts` reads them and fails when this list and theirs part.
 */
export const APP_ERROR_CODES = {
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
  INVALID_XML: ['invalid', 'xml', 'malformed', 'parse', 'syntax', 'bad', 'request', 'body'],
  IDEMPOTENCY_KEY_REUSED: ['idempotency', 'reused', 'mismatch', 'conflict', 'unprocessable'],
  METHOD_NOT_ALLOWED: ['method', 'allowed'],
  PAYLOAD_TOO_LARGE: ['payload', 'large', 'size', 'entity', 'body'],
  CORS_ORIGIN_REFUSED: ['cors', 'origin', 'forbidden', 'denied'],
  NOT_IMPLEMENTED: ['implemented', 'unimplemented'],
  SERVICE_UNAVAILABLE: ['unavailable', 'service', 'maintenance', 'busy'],
} as const satisfies Record<string, readonly string[]>;

/** One of the generated app's error codes. */
export type AppErrorCode = keyof typeof APP_ERROR_CODES;
