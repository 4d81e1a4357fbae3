import { CREDENTIALS } from '../generated/policy.js';

/** What the CORS policy says about one request. */
export interface CorsDecision {
  /** Headers to add to the response (always at least `Vary: Origin`). */
  headers: Record<string, string>;
  /** A preflight (`OPTIONS` with `Access-Control-Request-Method`): answer it without running a route. */
  preflight: boolean;
  /** For a preflight: whether the origin may call the API (204) or not (403). */
  allowed: boolean;
}

const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE';
// The spec's apiKey headers carry access tokens too (CREDENTIALS); X-Requested-With goes with an apiKey cookie.
const ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'idempotency-key',
  'x-request-id',
  ...CREDENTIALS.headers.filter((h) => h !== 'authorization'),
  ...(CREDENTIALS.cookies.length > 0 ? ['x-requested-with'] : []),
].join(', ');
const EXPOSE_HEADERS = 'location, retry-after, x-request-id, ratelimit-limit, ratelimit-remaining, ratelimit-reset';

/**
 * The CORS allowlist from `CORS_ORIGINS`: an origin is allowed only when it
 * equals one of them exactly (scheme, host and port), so `null`,
 * `https://good.com.evil.com` and `https://evilgood.com` never pass. The
 * allowed origin is echoed (never `*`), credentials are not allowed (the API
 * authenticates with bearer tokens, not cookies) and `Vary: Origin` tells
 * caches the answer depends on the origin.
 */
export function corsPolicy(origins: readonly string[]): (method: string, origin: unknown, requestMethod: unknown) => CorsDecision {
  // new URL(...).origin normalizes case and default ports, as browsers send them.
  const allowed = new Set(origins.map((o) => new URL(o).origin));
  const base = Object.freeze({ vary: 'Origin' });
  return (method, origin, requestMethod) => {
    const preflight = method === 'OPTIONS' && typeof origin === 'string' && typeof requestMethod === 'string';
    if (typeof origin !== 'string' || !allowed.has(origin)) return { headers: base, preflight, allowed: false };
    const headers: Record<string, string> = { vary: 'Origin', 'access-control-allow-origin': origin };
    if (preflight) {
      headers['access-control-allow-methods'] = ALLOW_METHODS;
      headers['access-control-allow-headers'] = ALLOW_HEADERS;
      headers['access-control-max-age'] = '600';
    } else {
      headers['access-control-expose-headers'] = EXPOSE_HEADERS;
    }
    return { headers, preflight, allowed: true };
  };
}
