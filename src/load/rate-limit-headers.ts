/**
 * Whether a header (lowercase name) is one a rate limiter announces itself with: `Retry-After`,
 * the IETF draft's `RateLimit-*`, or the older `X-RateLimit-*`. Kept from 429s, plain runs and
 * scenarios alike, for the `rate-limited` finding.
 */
export function isRateLimitHeader(name: string): boolean {
  return name === 'retry-after' || name.startsWith('ratelimit') || name.startsWith('x-ratelimit');
}
