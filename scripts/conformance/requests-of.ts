import { buildRequest, type OracleRequest } from './build-request.js';
import type { CreatedObjects } from './created-objects.js';
import { distinctKeys } from './distinct-keys.js';
import { answerTypes, otherBodyTypes } from './media-types.js';
import type { Spec, SpecOperation } from './spec-reader.js';

/**
 * The requests the oracle sends for one operation: a create or update
 * whose full body (every optional property, the spec's example object)
 * differs from the minimal one is sent with both, the full one first — a
 * spec-valid body with optional properties (petstore's `"id": 10`) must
 * not be refused either. Each create of an object a path names by a
 * property of its own gets its own value there ({@link distinctKeys}).
 */
export function requestsOf(
  op: SpecOperation,
  spec: Spec,
  created: CreatedObjects,
  token: string,
): (OracleRequest & { fullBody?: boolean; variant?: string })[] {
  const minimal = buildRequest(op, spec, created, token);
  // Then the body in each other media type the spec lists (a form, multipart, XML), and the
  // answer asked for in each other type it declares (XML): every one is the spec's promise.
  const variants = [
    ...otherBodyTypes(op).map((media) => ({
      ...buildRequest(op, spec, created, token, { media }),
      variant: media,
    })),
    ...answerTypes(op)
      .filter((t) => !/json/i.test(t))
      .map((accept) => ({
        ...buildRequest(op, spec, created, token, { accept }),
        variant: `Accept ${accept}`,
      })),
  ];
  if (!['post', 'put', 'patch'].includes(op.method) || minimal.body === undefined)
    return [minimal, ...variants];
  const full = buildRequest(op, spec, created, token, { fullBody: true });
  const requests = [
    ...(full.body === minimal.body ? [minimal] : [{ ...full, fullBody: true }, minimal]),
    ...variants,
  ];
  // A create sent more than once gives each its own key: the spec's path says a key names one row.
  return distinctKeys(op, spec, requests);
}
