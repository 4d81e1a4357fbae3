import type { Node } from './spec-reader.js';

/**
 * A refusal prism wrote itself, not the app's: its problem+json
 * (`https://stoplight.io/prism/errors#…`), or an empty body — prism answers a
 * request it finds invalid with the spec's 4xx when the spec declares one
 * (petstore's bodiless 422), while the generated app never refuses without
 * an error body.
 */
export function byPrism(body: Node): boolean {
  if (body === undefined || body === '') return true;
  return isPrismProblem(body);
}

/** Prism's own problem+json: it refused or could not forward the request. */
export function isPrismProblem(body: Node): boolean {
  return typeof body === 'object' && body !== null && String(body.type ?? '').includes('stoplight.io/prism');
}

/**
 * Whether prism refused a request without forwarding it: an error in prism's own problem+json
 * that lacks the `X-Request-Id` the app echoes. Such a request was never the app's to answer.
 */
export function refusedByPrism(outcome: { status: number; fromApp: boolean; body: Node }): boolean {
  return outcome.status >= 400 && !outcome.fromApp && isPrismProblem(outcome.body);
}
