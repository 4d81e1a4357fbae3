/**
 * The kinds of failed request `tenon load` counts. Every failure falls in
 * exactly one, so the categories add up to `requests.errors`.
 */
export const ERROR_CATEGORIES = [
  /** Nothing listens on the port (ECONNREFUSED). */
  'refused',
  /** The TCP connection was not established within --timeout. */
  'connectTimeout',
  /** The server reset or closed the connection before the response was complete. */
  'reset',
  /** No complete response within --timeout after the request was sent (or queued). */
  'timeout',
  /** The bytes received are not a valid HTTP/1.x response. */
  'invalidResponse',
  /** A 429 Too Many Requests not expected: the target's rate limit, not its capacity. */
  'rateLimited',
  /** A 5xx response not expected: the server failed or shed load. */
  'serverError',
  /** Any other valid response whose status is not expected (--expect-status; default: any status below 400). */
  'unexpectedStatus',
  /** Any other socket error (address not available, too many open files, …). */
  'other',
] as const;

/** One of {@link ERROR_CATEGORIES}. */
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

/** A count per error category. */
export type ErrorCounts = Record<ErrorCategory, number>;

/** A zeroed {@link ErrorCounts}. */
export function emptyErrorCounts(): ErrorCounts {
  return {
    refused: 0,
    connectTimeout: 0,
    reset: 0,
    timeout: 0,
    invalidResponse: 0,
    rateLimited: 0,
    serverError: 0,
    unexpectedStatus: 0,
    other: 0,
  };
}

/** Classifies a socket error by its code and the phase the connection was in. */
export function categorizeSocketError(code: string | undefined, connecting: boolean): ErrorCategory {
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ETIMEDOUT' && connecting) return 'connectTimeout';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'reset';
  return 'other';
}

/** The category of a response whose status is not expected. */
export function categorizeStatus(status: number): 'rateLimited' | 'serverError' | 'unexpectedStatus' {
  if (status === 429) return 'rateLimited';
  return status >= 500 ? 'serverError' : 'unexpectedStatus';
}

/** All failed requests. */
export function countErrors(errors: ErrorCounts): number {
  let n = 0;
  for (const category of ERROR_CATEGORIES) n += errors[category];
  return n;
}

/** Failed requests that did get a response (an unexpected status), as opposed to transport failures. */
export function countStatusErrors(errors: ErrorCounts): number {
  return errors.rateLimited + errors.serverError + errors.unexpectedStatus;
}
