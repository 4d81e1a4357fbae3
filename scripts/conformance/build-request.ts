import { sample } from 'openapi-sampler';
import { allowsNull, propertySchema, singular } from './references.js';
import type { Node, Spec, SpecOperation, SpecParameter } from './spec-reader.js';
import { xmlBody } from './xml-body.js';

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
}

/** What earlier requests created, by collection path (`/pets`), newest last. */
export type CreatedObjects = Map<string, Node[]>;

/**
 * A sample of a schema from openapi-sampler (examples and defaults of the
 * schema first). `minimal` leaves out optional properties, as a client that
 * sends what is needed does, unless that would go below `minProperties`.
 */
export function sampleSchema(schema: Node, spec: Spec, minimal = false): unknown {
  const options = (skipNonRequired: boolean) =>
    ({ skipReadOnly: true, skipNonRequired, quiet: true, enablePatterns: true }) as never;
  const value = sample(schema, options(minimal), spec.bundled);
  const min = spec.deref(schema)?.minProperties;
  if (
    minimal &&
    value &&
    typeof value === 'object' &&
    typeof min === 'number' &&
    Object.keys(value).length < min
  )
    return sample(schema, options(false), spec.bundled);
  return value;
}

/**
 * Fills reference-like fields (`bookId`, `owner_id`, `categoryId` →
 * `/categories`) of a body with the id of an object an earlier request
 * created under the matching collection (`/books`), as a client refers to
 * things that exist. A reference nothing created can fill (shop's
 * `parentId` on the first category) is sent as null where its schema allows
 * null — "no parent" — as such a client would, rather than a sampled id
 * that names no row.
 */
function linkReferences(value: unknown, created: CreatedObjects, schema: Node, spec: Spec): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out = { ...(value as Record<string, unknown>) };
  for (const key of Object.keys(out)) {
    const match = /^(.+?)(Id|_id)$/.exec(key);
    if (!match || (typeof out[key] !== 'number' && typeof out[key] !== 'string')) continue;
    const stem = match[1]!.toLowerCase();
    let linked = false;
    for (const [collection, objects] of created) {
      const last = collection.split('/').at(-1)?.toLowerCase() ?? '';
      if (!(last.startsWith(stem) || singular(last) === stem) || objects.length === 0) continue;
      const id = createdValue(objects.at(-1), 'id', true);
      if (typeof id === typeof out[key]) {
        out[key] = id;
        linked = true;
      }
      break;
    }
    if (!linked && allowsNull(propertySchema(schema, key, spec), spec)) out[key] = null;
  }
  return out;
}

function parameterValue(p: SpecParameter, spec: Spec): unknown {
  if (p.hasExample) return p.example;
  const schema = spec.deref(p.schema);
  if (schema?.example !== undefined) return schema.example;
  if (schema?.default !== undefined) return schema.default;
  return sampleSchema(p.schema, spec);
}

function scalar(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** Serializes a query parameter by its style (form, spaceDelimited, pipeDelimited, deepObject). */
function queryPairs(p: SpecParameter, value: unknown): [string, string][] {
  if (Array.isArray(value)) {
    if (p.style === 'form' && p.explode) return value.map((v) => [p.name, scalar(v)]);
    const separator = p.style === 'spaceDelimited' ? ' ' : p.style === 'pipeDelimited' ? '|' : ',';
    return [[p.name, value.map(scalar).join(separator)]];
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (p.style === 'deepObject') return entries.map(([k, v]) => [`${p.name}[${k}]`, scalar(v)]);
    if (p.explode) return entries.map(([k, v]) => [k, scalar(v)]);
    return [[p.name, entries.flatMap(([k, v]) => [k, scalar(v)]).join(',')]];
  }
  return [[p.name, scalar(value)]];
}

function simple(value: unknown): string {
  if (Array.isArray(value)) return value.map(scalar).join(',');
  if (value !== null && typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .flatMap(([k, v]) => [k, scalar(v)])
      .join(',');
  return scalar(value);
}

/** The object a create answered with: the response itself, or its `data` when it is an envelope. */
function createdValue(created: Node, name: string, byId: boolean): unknown {
  for (const candidate of [created, created?.data]) {
    if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) continue;
    if (candidate[name] !== undefined) return candidate[name];
    if (byId && candidate.id !== undefined) return candidate.id;
  }
  return undefined;
}

/** The Location header each create answered with, by the body it answered (exercise.ts records it). */
export const createdLocations = new WeakMap<object, string>();

/** The value at a JSON pointer (`/id`, `/data/id`) in a created body. */
function atPointer(body: Node, pointer: string): unknown {
  let node = body;
  for (const token of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/** The last segment of a Location (`/menu/prd_01…` → `prd_01…`). */
function locationKey(location: string | undefined): string | undefined {
  if (!location) return undefined;
  const segment = new URL(location, 'http://host').pathname.split('/').filter(Boolean).at(-1);
  return segment === undefined ? undefined : decodeURIComponent(segment);
}

/** The property names a schema declares (through `$ref` and `allOf`, and an envelope's `data`). */
function declaredProperties(schema: Node, spec: Spec, depth = 0): string[] {
  const s = spec.deref(schema);
  if (!s || typeof s !== 'object' || depth > 8) return [];
  const own = s.properties && typeof s.properties === 'object' ? Object.keys(s.properties) : [];
  const parts = Array.isArray(s.allOf)
    ? s.allOf.flatMap((x: Node) => declaredProperties(x, spec, depth + 1))
    : [];
  const data = s.properties?.data ? declaredProperties(s.properties.data, spec, depth + 1) : [];
  return [...own, ...parts, ...data];
}

/** The words of a name, lower-case (`collectionName`, `collection_name` → collection, name). */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * The property of a create's schemas (its body or its 2xx answer) a path key
 * stands for: the one of the key's own name (`/user/{username}`,
 * `User.username`), else the one left when the collection's singular is
 * dropped from the front of the key (`/aliases/{aliasName}`, `name`; `/pets/{petId}`,
 * the declared `id`); undefined when it names none.
 */
function keyProperty(spec: Spec, collection: string, name: string): string | undefined {
  const create = spec.operations.find((o) => o.method === 'post' && o.path === collection);
  if (!create) return undefined;
  const schemas: Node[] = [];
  const body = spec.deref(create.requestBody);
  for (const media of Object.values<Node>(body?.content ?? {})) schemas.push(media?.schema);
  for (const [status, response] of Object.entries<Node>(create.responses ?? {}))
    if (/^2/.test(status))
      for (const media of Object.values<Node>(spec.deref(response)?.content ?? {}))
        schemas.push(media?.schema);
  const declared = new Set(schemas.flatMap((schema) => declaredProperties(schema, spec)));
  if (declared.has(name)) return name;
  const words = nameWords(name);
  const prefix = nameWords(singular(collection.split('/').at(-1) ?? ''));
  if (prefix.length === 0 || prefix.length >= words.length || prefix.some((w, i) => words[i] !== w))
    return undefined;
  const rest = words.slice(prefix.length);
  // `{email_id}` of /emails, `{petId}` of /pets: the resource's own id, by the name the spec gives it.
  if (rest.join('_') === 'id') return declared.has('id') ? 'id' : undefined;
  return [...declared].find((p) => nameWords(p).join('_') === rest.join('_'));
}

/**
 * The key a create's answer gives a path parameter, only as the spec says
 * it does: a property of the key's own name (`/user/{username}`) or the one
 * it names after the collection's singular ({@link keyProperty}), a link of
 * the create's 2xx answer naming the parameter (`$response.body#/id`,
 * `$response.header.Location`), or the Location header the answer declares.
 * An `id` of another name is never taken for the key: that would hide a
 * server that keys its items by something the spec does not say.
 */
function createdKey(
  body: Node,
  name: string,
  collection: string,
  create: SpecOperation | undefined,
  spec: Spec,
): unknown {
  const property = keyProperty(spec, collection, name) ?? name;
  if (property !== 'id' || name === 'id') {
    const own = createdValue(body, property, false);
    if (own !== undefined) return own;
  }
  const declared = create ? declaredKey(body, name, create, spec) : undefined;
  if (declared !== undefined) return declared;
  // Last, the convention every spec of this class follows and none spells out: `{petId}` of /pets
  // is the created pet's `id` (the exchange still fails loudly if the app keys pets otherwise).
  return property === 'id' ? createdValue(body, 'id', false) : undefined;
}

/** The key a create's 2xx answer declares: by a link naming the parameter, or its Location header. */
function declaredKey(body: Node, name: string, create: SpecOperation, spec: Spec): unknown {
  const location = body && typeof body === 'object' ? createdLocations.get(body) : undefined;
  for (const [status, raw] of Object.entries<Node>(create.responses ?? {})) {
    if (!/^2/.test(status)) continue;
    const response = spec.deref(raw);
    for (const link of Object.values<Node>(response?.links ?? {})) {
      const expression = spec.deref(link)?.parameters?.[name];
      if (typeof expression !== 'string') continue;
      if (expression.startsWith('$response.body#'))
        return atPointer(body, expression.slice('$response.body#'.length));
      if (/^\$response\.header\.location$/i.test(expression)) return locationKey(location);
    }
    const headers = Object.keys(response?.headers ?? {}).map((h) => h.toLowerCase());
    if (headers.includes('location') && location !== undefined) return locationKey(location);
  }
  return undefined;
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
  const create = spec.operations.find((o) => o.method === 'post' && o.path === collection);
  for (let i = objects.length - 1; i >= 0; i--) {
    const value = createdKey(objects[i], p.name, collection, create, spec);
    if (value !== undefined && (typeof value === 'string' || typeof value === 'number'))
      return { value, source: 'created' };
  }
  // Something was created but nothing the spec declares gives its key: said, not guessed.
  const source = objects.length > 0 ? 'unkeyed' : p.hasExample ? 'example' : 'sample';
  return { value: parameterValue(p, spec), source };
}

/** The media type to send: JSON first, then forms, then whatever the spec lists first. */
function pickMedia(content: Record<string, Node>): [string, Node] | undefined {
  const types = Object.keys(content);
  const pick =
    types.find((t) => /^application\/(.+\+)?json\b/i.test(t)) ??
    types.find((t) => /^application\/x-www-form-urlencoded\b/i.test(t)) ??
    types.find((t) => /^multipart\/form-data\b/i.test(t)) ??
    types[0];
  return pick === undefined ? undefined : [pick, content[pick]];
}

/**
 * The body to send: the media type's example, else a sample of its schema —
 * `minimal` (required properties only), or with every optional property
 * too (the spec's property examples: petstore's `"id": 10`), as a client
 * that copies the spec's example object sends it.
 */
function mediaExample(media: Node, spec: Spec, created: CreatedObjects, minimal: boolean): unknown {
  if (media?.example !== undefined) return media.example;
  const examples = media?.examples && typeof media.examples === 'object' ? Object.values(media.examples) : [];
  const first = spec.deref(examples[0]);
  if (first?.value !== undefined) return first.value;
  return media?.schema
    ? linkReferences(sampleSchema(media.schema, spec, minimal), created, media.schema, spec)
    : {};
}

function encodeBody(
  type: string,
  value: unknown,
  media: Node,
  spec: Spec,
): { body: string; contentType: string } {
  if (/json/i.test(type)) return { body: JSON.stringify(value), contentType: type };
  if (/^(application|text)\/([\w.-]+\+)?xml$/i.test(type))
    return { body: xmlBody(value, media?.schema, spec), contentType: type };
  if (/multipart\/form-data/i.test(type)) {
    // One part per field (a repeated part per array item); a file's sample is sent as its text.
    const boundary = 'tenon-oracle-boundary';
    const parts: string[] = [];
    if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        for (const item of Array.isArray(v) ? v : [v])
          parts.push(
            `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${scalar(item)}\r\n`,
          );
    return {
      body: `${parts.join('')}--${boundary}--\r\n`,
      contentType: `multipart/form-data; boundary=${boundary}`,
    };
  }
  if (/x-www-form-urlencoded/i.test(type)) {
    const form = new URLSearchParams();
    if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        for (const item of Array.isArray(v) ? v : [v]) form.append(k, scalar(item));
    return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: typeof value === 'string' ? value : JSON.stringify(value), contentType: type };
}

/**
 * The security requirement the oracle meets: one whose schemes all send a
 * Bearer token where the spec offers one, else the first. Undefined when
 * the spec asks for none (or opens the operation to anyone).
 */
function chosenRequirement(op: SpecOperation, spec: Spec): string[] | undefined {
  if (op.open) return undefined;
  const schemes = spec.bundled.components?.securitySchemes ?? {};
  const alternatives = op.security.map((req) => Object.keys(req));
  if (alternatives.length === 0 || alternatives.some((names) => names.length === 0)) return undefined;
  const bearerLike = (name: string) => {
    const s = spec.deref(schemes[name]);
    return (
      s &&
      (s.type === 'oauth2' || s.type === 'openIdConnect' || (s.type === 'http' && /bearer/i.test(s.scheme)))
    );
  };
  return alternatives.find((names) => names.every(bearerLike)) ?? alternatives[0]!;
}

/** Methods that change data: a cookie credential goes with `X-Requested-With` on them (tenon's CSRF defence). */
const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);

/**
 * How the oracle authenticates an operation: the headers of the scheme it
 * picked (the token in the named header or cookie, Basic, or Bearer). A
 * cookie on a method that changes data goes with `X-Requested-With`, as a
 * browser client of the generated API sends it (docs/scaffold.md, CSRF).
 */
export function credentialsFor(op: SpecOperation, spec: Spec, token: string): Record<string, string> {
  // The spec opens it to anyone: a spec-valid request carries no credentials, and must be served.
  if (op.open) return {};
  const chosen = chosenRequirement(op, spec);
  // No security in the spec (or an anonymous alternative): tenon still puts its own JWT in front
  // (deny by default, a convention where the spec leaves the choice), so the client sends it.
  if (!chosen) return { authorization: `Bearer ${token}` };
  const schemes = spec.bundled.components?.securitySchemes ?? {};
  const headers: Record<string, string> = {};
  for (const name of chosen) {
    const s = spec.deref(schemes[name]);
    if (s?.type === 'apiKey' && s.in === 'header') headers[String(s.name).toLowerCase()] = token;
    else if (s?.type === 'apiKey' && s.in === 'cookie') {
      headers.cookie = `${s.name}=${token}`;
      if (UNSAFE.has(op.method)) headers['x-requested-with'] = 'tenon-oracle';
    } else if (s?.type === 'apiKey' && s.in === 'query') continue;
    // tenon takes its token as the password of an http basic scheme.
    else if (s?.type === 'http' && /^basic$/i.test(String(s.scheme)))
      headers.authorization = `Basic ${Buffer.from(`oracle:${token}`).toString('base64')}`;
    else headers.authorization = `Bearer ${token}`;
  }
  return headers;
}

/** Query apiKey schemes of the chosen requirement put the token in the query string. */
export function queryCredentials(op: SpecOperation, spec: Spec, token: string): [string, string][] {
  const schemes = spec.bundled.components?.securitySchemes ?? {};
  return (chosenRequirement(op, spec) ?? []).flatMap((name) => {
    const s = spec.deref(schemes[name]);
    return s?.type === 'apiKey' && s.in === 'query' ? [[String(s.name), token] as [string, string]] : [];
  });
}

/**
 * The parameters the chosen requirement's apiKey schemes fill with the token
 * (`query:api_key`), for a spec that declares its apiKey again as an
 * operation parameter: a client sends it once, the token being its value.
 */
function credentialPlaces(op: SpecOperation, spec: Spec): Set<string> {
  if (op.open) return new Set();
  const schemes = spec.bundled.components?.securitySchemes ?? {};
  return new Set(
    (chosenRequirement(op, spec) ?? []).flatMap((name) => {
      const s = spec.deref(schemes[name]);
      if (s?.type !== 'apiKey') return [];
      return [`${s.in}:${s.in === 'header' ? String(s.name).toLowerCase() : String(s.name)}`];
    }),
  );
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
  const carried = credentialPlaces(op, spec);
  for (const p of op.parameters) {
    // The parameter is where the token goes: the credential (below) is its value.
    if (carried.has(`${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`)) continue;
    if (p.in === 'path') {
      const { value, source } = pathValue(op, p, spec, created);
      idSources[p.name] = source;
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
  if (content && typeof content === 'object') {
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
  return { method: op.method.toUpperCase(), path, query, headers, body, idSources };
}

/** The media types of the operation's 2xx responses, JSON first. */
export function answerTypes(op: SpecOperation): string[] {
  const types = new Set<string>();
  for (const [status, response] of Object.entries<Node>(op.responses ?? {}))
    if (/^2/.test(status)) for (const t of Object.keys(response?.content ?? {})) types.add(t);
  return [...types].sort((a, b) => Number(!/json/.test(a)) - Number(!/json/.test(b)));
}

/** Accept: the media types of the operation's 2xx responses, JSON first. */
function acceptFor(op: SpecOperation): string | undefined {
  const types = answerTypes(op);
  return types.length === 0 ? undefined : types.join(', ');
}

/** The request body media types the oracle can write besides the one it sends first: forms, multipart, XML. */
export function otherBodyTypes(op: SpecOperation): string[] {
  const content = op.requestBody?.content;
  if (!content || typeof content !== 'object') return [];
  const first = pickMedia(content)?.[0];
  return Object.keys(content).filter(
    (t) =>
      t !== first &&
      (/^application\/x-www-form-urlencoded$/i.test(t) ||
        /^multipart\/form-data$/i.test(t) ||
        /^(application|text)\/([\w.-]+\+)?xml$/i.test(t)),
  );
}
