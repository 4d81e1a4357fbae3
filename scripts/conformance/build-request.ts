import { type CreatedObjects, createdKey } from './created-objects.js';
import { credentialPlaces, credentialsFor, queryCredentials } from './credentials.js';
import { encodeBody } from './encode-body.js';
import { mediaExample } from './media-example.js';
import { acceptFor, pickMedia } from './media-types.js';
import { parameterValue, queryPairs, simple } from './parameter-value.js';
import type { Node, Spec, SpecOperation, SpecParameter } from './spec-reader.js';

/** A request the oracle sends, built from the spec alone. */
export interface OracleRequest {
  method: string;
  /** Path with parameters filled in, without the base path. */
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  body?: string;
  /**
   * Where each path parameter's value came from (`created` = from an earlier
   * create's response; `unkeyed` = a create answered, but gave the key neither
   * by its name, nor by a link or a Location header the spec declares: the
   * example or a sample was sent).
   */
  idSources: Record<string, 'created' | 'example' | 'sample' | 'unkeyed'>;
  /** The value sent for each path parameter, as text (a probe of an unkeyed key fills the others with them). */
  pathValues?: Record<string, string>;
}

/** A path parameter's value: from an object an earlier request created under the same collection, else the spec. */
function pathValue(
  op: SpecOperation,
  p: SpecParameter,
  spec: Spec,
  created: CreatedObjects,
): { value: unknown; source: OracleRequest['idSources'][string] } {
  const at = op.path.indexOf(`{${p.name}}`);
  const collection = op.path.slice(0, at).replace(/\/$/, '');
  const objects = created.get(collection) ?? [];
  for (let i = objects.length - 1; i >= 0; i--) {
    const value = createdKey(objects[i], p.name, collection, spec);
    if (value !== undefined && (typeof value === 'string' || typeof value === 'number'))
      return { value, source: 'created' };
  }
  // Something was created but nothing the spec declares gives its key: said, not guessed.
  const source = objects.length > 0 ? 'unkeyed' : p.hasExample ? 'example' : 'sample';
  return { value: parameterValue(p, spec), source };
}

/**
 * Builds the request of one operation from the spec: every required
 * parameter and the optional ones the spec gives an example for, a body
 * from the spec's example or a sample of its schema (required properties
 * only, or every property with `fullBody`), and the credentials its
 * security asks for.
 */
export function buildRequest(
  op: SpecOperation,
  spec: Spec,
  created: CreatedObjects,
  token: string,
  {
    fullBody = false,
    media,
    accept,
  }: {
    fullBody?: boolean;
    /** Send the body in this media type (one the spec lists) instead of JSON first. */
    media?: string;
    /** Ask for this media type instead of every one the spec lists, JSON first. */
    accept?: string;
  } = {},
): OracleRequest {
  let path = op.path;
  const query: [string, string][] = [];
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const idSources: OracleRequest['idSources'] = {};
  const pathValues: Record<string, string> = {};
  const carried = credentialPlaces(op, spec);
  for (const p of op.parameters) {
    // The parameter is where the token goes: the credential (below) is its value.
    if (carried.has(`${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`)) continue;
    if (p.in === 'path') {
      const { value, source } = pathValue(op, p, spec, created);
      idSources[p.name] = source;
      pathValues[p.name] = simple(value);
      path = path.replace(`{${p.name}}`, encodeURIComponent(simple(value)));
      continue;
    }
    if (!p.required && !p.hasExample) continue;
    const value = parameterValue(p, spec);
    if (value === undefined) continue;
    if (p.in === 'query') query.push(...queryPairs(p, value));
    else if (p.in === 'header') headers[p.name.toLowerCase()] = simple(value);
    else cookies.push(`${p.name}=${encodeURIComponent(simple(value))}`);
  }
  Object.assign(headers, credentialsFor(op, spec, token));
  query.push(...queryCredentials(op, spec, token));
  if (cookies.length) headers.cookie = [headers.cookie, ...cookies].filter(Boolean).join('; ');
  let body: string | undefined;
  const content = op.requestBody?.content;
  // HTTP gives a GET or HEAD body no meaning and fetch cannot send one: a body the spec declares
  // there (listmonk's template preview) is left out, as its clients must.
  const bodiless = op.method.toUpperCase() === 'GET' || op.method.toUpperCase() === 'HEAD';
  if (content && typeof content === 'object' && !bodiless) {
    const picked: [string, Node] | undefined =
      media && content[media] ? [media, content[media]] : pickMedia(content);
    if (picked) {
      const encoded = encodeBody(
        picked[0],
        mediaExample(picked[1], spec, created, !fullBody),
        picked[1],
        spec,
      );
      body = encoded.body;
      headers['content-type'] = encoded.contentType;
    }
  }
  const acceptHeader = accept ?? acceptFor(op);
  if (acceptHeader) headers.accept = acceptHeader;
  return { method: op.method.toUpperCase(), path, query, headers, body, idSources, pathValues };
}
