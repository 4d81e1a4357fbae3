import type { Violation } from './send.js';

/**
 * Prism's violations of one answer, less the one that says a 404 is not in
 * the spec when the request's key was invented (an example or a sample, not
 * a key a create returned): no row has that key, and OpenAPI does not ask a
 * spec to list every status an API may answer ("not expected to cover all
 * possible HTTP response codes"). A 404 for a created key stays a refusal.
 */
export function answerViolations(
  status: number,
  violations: Violation[],
  idSources: Record<string, string>,
): Violation[] {
  const sources = Object.values(idSources);
  const invented = sources.length > 0 && sources.some((s) => s !== 'created');
  if (status !== 404 || !invented) return violations;
  return violations.filter(
    (v) => !(v.location === 'response' && v.message.startsWith('Unable to match the returned status code')),
  );
}

const REFUSALS = new Set([400, 401, 403, 405, 406, 411, 413, 414, 415, 422, 429, 431]);

/**
 * Why an answer refuses a spec-valid request (undefined when it does not).
 * A 404 for a key no create gave as the spec declares (`unkeyed`: the
 * oracle sent a sample) refuses when `unkeyed` is `unreachable`: none of the
 * created row's own values finds it either (see probeUnkeyed), so the row a
 * create answered for is not served at all; a row found by another value is
 * keyed by something the spec leaves open, and the sample's 404 is right.
 */
export function refusal(
  status: number,
  idSources: Record<string, string>,
  unkeyed?: 'reachable' | 'unreachable',
): string | undefined {
  if (status === 0) return 'no answer';
  if (status >= 500 && status !== 501) return `${status}: a server error on a spec-valid request`;
  if (REFUSALS.has(status)) return `${status}: a spec-valid request was refused`;
  if (status === 404) {
    const sources = Object.values(idSources);
    if (sources.length === 0) return '404 on a path without parameters: the operation is not served';
    if (sources.every((s) => s === 'created')) return '404 for a key an earlier create returned';
    if (sources.includes('unkeyed') && unkeyed === 'unreachable')
      return '404 for a created row that none of its own values finds (the spec does not say which is its key)';
  }
  return undefined;
}
