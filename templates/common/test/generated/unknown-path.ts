/**
 * A path no route of the project serves, under `prefix`. It is deeper than any path a spec
 * declares: a path parameter matches one segment, so a spec with a catch-all at the root (shlink's
 * `GET /{shortCode}`) serves every one-segment path, and `/no-such-thing` is then its operation
 * (401 to anonymous callers), not an unknown path.
 */
export function unknownPath(prefix = ''): string {
  return `${prefix}/no-such-thing${'/x'.repeat(24)}`;
}
