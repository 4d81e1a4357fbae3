import { singular } from './references.js';
import type { Node, Spec, SpecOperation } from './spec-reader.js';

/** What earlier requests created, by collection path (`/pets`), newest last. */
export type CreatedObjects = Map<string, Node[]>;

/** The Location header each create answered with, by the body it answered (exercise.ts records it). */
export const createdLocations = new WeakMap<object, string>();

/**
 * The object a create answered with: the response itself, its `data` when it is an envelope, or the
 * object under its one key when it is a wrapper (RealWorld's `{ article: { slug, … } }`).
 */
export function createdValue(created: Node, name: string, byId: boolean): unknown {
  const keys = created && typeof created === 'object' && !Array.isArray(created) ? Object.keys(created) : [];
  const wrapped = keys.length === 1 ? created[keys[0]!] : undefined;
  for (const candidate of [created, created?.data, wrapped]) {
    if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) continue;
    if (candidate[name] !== undefined) return candidate[name];
    if (byId && candidate.id !== undefined) return candidate.id;
  }
  return undefined;
}

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

/**
 * The property names a schema declares (through `$ref`, `allOf`, the
 * alternatives of `oneOf`/`anyOf` and a list's items — Typesense's rule
 * create takes one rule or a list of them — and an envelope's `data`).
 */
function declaredProperties(schema: Node, spec: Spec, depth = 0): string[] {
  const s = spec.deref(schema);
  if (!s || typeof s !== 'object' || depth > 8) return [];
  const own = s.properties && typeof s.properties === 'object' ? Object.keys(s.properties) : [];
  const parts = [
    ...(s.allOf ?? []),
    ...(s.oneOf ?? []),
    ...(s.anyOf ?? []),
    ...(s.items ? [s.items] : []),
  ].flatMap((x: Node) => declaredProperties(x, spec, depth + 1));
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

/** A collection's create operation and the properties its schemas declare. */
interface CollectionCreate {
  create: SpecOperation | undefined;
  /** The properties of the create's body and 2xx answers ({@link declaredProperties}); empty without a create. */
  declared: Set<string>;
}

/** {@link collectionCreate}'s answers, per spec and collection path. */
const collectionCreates = new WeakMap<Spec, Map<string, CollectionCreate>>();

/**
 * The create (`POST /pets`) of a collection and the properties its schemas
 * declare. Found once per spec and collection: every request built for an
 * item path asks again, for each created object it tries, and the answer
 * cannot change (the spec is read once and not modified).
 */
function collectionCreate(spec: Spec, collection: string): CollectionCreate {
  let bySpec = collectionCreates.get(spec);
  if (!bySpec) {
    bySpec = new Map();
    collectionCreates.set(spec, bySpec);
  }
  const known = bySpec.get(collection);
  if (known) return known;
  const create = spec.operations.find((o) => o.method === 'post' && o.path === collection);
  const schemas: Node[] = [];
  if (create) {
    const body = spec.deref(create.requestBody);
    for (const media of Object.values<Node>(body?.content ?? {})) schemas.push(media?.schema);
    for (const [status, response] of Object.entries<Node>(create.responses ?? {}))
      if (/^2/.test(status))
        for (const media of Object.values<Node>(spec.deref(response)?.content ?? {}))
          schemas.push(media?.schema);
  }
  const found = { create, declared: new Set(schemas.flatMap((schema) => declaredProperties(schema, spec))) };
  bySpec.set(collection, found);
  return found;
}

/**
 * The property of a create's schemas (its body or its 2xx answer) a path key
 * stands for: the one of the key's own name (`/user/{username}`,
 * `User.username`), else the one left when the collection's singular, or
 * its last words, is dropped from the front of the key (`/aliases/{aliasName}`,
 * `name`; `/pets/{petId}` and `/nl_search_models/{modelId}`, the declared
 * `id`); undefined when it names none.
 */
export function keyProperty(spec: Spec, collection: string, name: string): string | undefined {
  const { create, declared } = collectionCreate(spec, collection);
  if (!create) return undefined;
  if (declared.has(name)) return name;
  const words = nameWords(name);
  const item = nameWords(singular(collection.split('/').at(-1) ?? ''));
  // The item's name, or its last words (`{modelId}` of /nl_search_models): the key's first words.
  const prefix = item
    .map((_, i) => item.slice(i))
    .find((tail) => tail.length < words.length && tail.every((w, i) => words[i] === w));
  if (!prefix) return undefined;
  const rest = words.slice(prefix.length);
  // `{email_id}` of /emails, `{petId}` of /pets: the resource's own id, by the name the spec gives it.
  if (rest.join('_') === 'id') return declared.has('id') ? 'id' : undefined;
  return [...declared].find((p) => nameWords(p).join('_') === rest.join('_'));
}

/**
 * The key a create's answer gives a path parameter, only as the spec says
 * it does: a property of the key's own name (`/user/{username}`) or the one
 * it names after the collection's singular or its last words ({@link keyProperty}), a link of
 * the create's 2xx answer naming the parameter (`$response.body#/id`,
 * `$response.header.Location`), or the Location header the answer declares.
 * An `id` of another name is never taken for the key: that would hide a
 * server that keys its items by something the spec does not say.
 */
export function createdKey(body: Node, name: string, collection: string, spec: Spec): unknown {
  const { create } = collectionCreate(spec, collection);
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
