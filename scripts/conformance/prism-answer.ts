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
 * Whether prism refused a request without forwarding it: a 4xx that lacks the `X-Request-Id` the
 * app echoes on every answer (its first hook or middleware sets it, before any refusal). Prism
 * writes its own problem+json (listmonk's form bodies), or, for a body it judges invalid, the
 * spec's own 4xx example (it ignores `discriminator`: ory kratos's identity bodies), which looks
 * like an answer of the spec's error shape but never reached the app. A 5xx without the id stays
 * the app's (prism's 502 says the app did not answer).
 */
export function refusedByPrism(outcome: { status: number; fromApp: boolean; body: Node }): boolean {
  return outcome.status >= 400 && outcome.status < 500 && !outcome.fromApp;
}
