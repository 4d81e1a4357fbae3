import type { CrudOperations, ModelWarning } from './api-model.js';
import { envelopeData } from './envelope-data.js';
import { pageItems } from './list-page.js';
import { child, isObject, type JsonObject, type Located, type SpecFiles } from './openapi-loader.js';
import { contentSchema } from './openapi-media.js';
import { normalizeSchema } from './openapi-schema.js';
import { bodyWrapper } from './openapi-wrapper.js';
import { OWN_ROUTES } from './own-routes.js';
import { routablePath } from './route-params.js';

/**
 * How an OpenAPI document's paths become resources: collection and item paths grouped by their
 * segment, the schema each resource is read from, and the operations left for handlers.
 */

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
/** An HTTP method an OpenAPI path item may hold. */
export type Method = (typeof METHODS)[number];
/** A CRUD operation kind. */
export type CrudKind = keyof CrudOperations;

/** The collection and item paths of one resource, and the operations on them. */
export interface PathGroup {
  segment: string;
  collection?: Located<JsonObject>;
  item?: Located<JsonObject>;
  collectionPath?: string;
  itemPath?: string;
  ops: { kind: CrudKind; method: Method; loc: Located<JsonObject>; custom: CustomSource }[];
}

/** What a non-CRUD operation is built from. */
export interface CustomSource {
  method: Method;
  path: string;
  route: string;
  loc: Located<JsonObject>;
  item: Located<JsonObject>;
}

/** A version segment at the start of a path, after an optional `/api`: `/v2`, `/api/v1`, `/v1beta1`, `/v2.1`. */
const VERSION_PREFIX = /^(?:\/api)?\/v\d+(?:\.\d+)*(?:(?:alpha|beta)\d*)?(?=\/[^/])/i;

/** A `.json` format extension at the end of a path segment (`posts.json`, `{id}.json`). */
export const FORMAT_SUFFIX = /(?<=[^/.])\.json$/;

/** The pathname of `servers[0].url` (`/api/v1` for `https://x.example/api/v1`), variables at their defaults, without a trailing slash. */
function basePath(doc: JsonObject): string {
  const servers = doc.servers;
  if (!Array.isArray(servers) || !isObject(servers[0]) || typeof servers[0].url !== 'string') return '';
  // Server variables take their defaults (`{basePath}` with default `v2` → `/v2`).
  const variables = isObject(servers[0].variables) ? servers[0].variables : {};
  const url = servers[0].url.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = variables[name];
    return isObject(v) && typeof v.default === 'string' ? v.default : 'x';
  });
  try {
    return new URL(url, 'http://host').pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

function jsonSchemaOf(files: SpecFiles, start: Located | undefined): Located | undefined {
  if (!start) return undefined;
  const loc = files.deref(start);
  if (!isObject(loc.node) || !isObject(loc.node.content)) return undefined;
  return contentSchema(loc.node.content, loc);
}

function responseSchema(files: SpecFiles, op: Located<JsonObject>, statuses: string[]): Located | undefined {
  const responses = op.node.responses;
  if (!isObject(responses)) return undefined;
  for (const status of statuses) {
    if (responses[status] !== undefined) {
      return jsonSchemaOf(files, {
        node: responses[status]!,
        file: op.file,
        pointer: child(op.pointer, 'responses', status),
      });
    }
  }
  return undefined;
}

/** The JSON schema of an operation's request body, if it declares one. */
export function bodySchema(files: SpecFiles, op: Located<JsonObject>): Located | undefined {
  if (op.node.requestBody === undefined) return undefined;
  return jsonSchemaOf(files, {
    node: op.node.requestBody,
    file: op.file,
    pointer: child(op.pointer, 'requestBody'),
  });
}

/** Unwraps `{ success, data: X }` envelopes, single-key wrappers (`{ article: X }`) and arrays to the item schema. */
function unwrap(files: SpecFiles, loc: Located, list: boolean): Located {
  const wrapper = bodyWrapper(files, loc);
  if (wrapper && !wrapper.scalarItems && (wrapper.shape === 'list') === list) return wrapper.inner;
  const norm = normalizeSchema(files, loc);
  const data = envelopeData(files, loc, norm);
  if (data) return unwrap(files, data, list);
  if (list && norm.schema.type === 'array' && norm.schema.items !== undefined) {
    return { node: norm.schema.items, file: norm.loc.file, pointer: child(norm.loc.pointer, 'items') };
  }
  // A page object (`{ object, page, items: [...] }`) lists the resource: its items are it.
  const page = list ? pageItems(files, loc) : undefined;
  if (page) return unwrap(files, page.items, false);
  return { ...loc, ...(norm.refName ? { refName: norm.refName } : {}) };
}

/** The schema a resource is read from: its read, list or create answer, else a write's body (envelopes and arrays unwrapped). */
export function findResourceSchema(files: SpecFiles, group: PathGroup): Located | undefined {
  const op = (kind: CrudKind) => group.ops.find((o) => o.kind === kind)?.loc;
  const candidates: [Located | undefined, boolean][] = [
    [op('read') && responseSchema(files, op('read')!, ['200', '2XX', 'default']), false],
    [op('list') && responseSchema(files, op('list')!, ['200', '2XX', 'default']), true],
    [op('create') && responseSchema(files, op('create')!, ['201', '200', '2XX']), false],
    [op('create') && bodySchema(files, op('create')!), false],
    [op('update') && bodySchema(files, op('update')!), false],
    [op('patch') && bodySchema(files, op('patch')!), false],
  ];
  for (const [loc, list] of candidates) if (loc) return unwrap(files, loc, list);
  return undefined;
}

/** The property names of a schema (allOf merged), or undefined when it is not an object with properties. */
function propertyNames(files: SpecFiles, loc: Located | undefined): Set<string> | undefined {
  if (!loc) return undefined;
  try {
    const props = normalizeSchema(files, loc).schema.properties;
    return isObject(props) && Object.keys(props).length > 0 ? new Set(Object.keys(props)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why a group is an action and not a collection, or undefined: its only operation is a POST on
 * the collection path (no GET there, no item path) whose 2xx answer is an object that shares no
 * property with its object body, or which takes no body at all.
 */
function actionReason(files: SpecFiles, group: PathGroup): string | undefined {
  if (group.ops.length !== 1 || group.ops[0]!.kind !== 'create' || group.item) return undefined;
  const op = group.ops[0]!.loc;
  const path = group.collectionPath;
  if (op.node.requestBody === undefined)
    return `${path} has no GET and no /{key} path, and the POST takes no body: an action, not a collection`;
  const body = propertyNames(files, bodySchema(files, op));
  const answer = propertyNames(files, responseSchema(files, op, ['201', '200', '2XX']));
  if (!body || !answer || [...answer].some((p) => body.has(p))) return undefined;
  return `${path} has no GET and no /{key} path, and the POST answers an object that shares no property with the body it is sent: an action, not a collection`;
}

function literal(s: string | undefined): boolean {
  return s !== undefined && /^[A-Za-z][A-Za-z0-9_-]*$/.test(s);
}

function param(s: string | undefined): boolean {
  return s !== undefined && /^\{[^}]+\}$/.test(s);
}

/** A path without `/api/v1` (under the server's base) and its version prefix, and its segments after both. */
function pathParts(base: string, path: string): { version: string; rest: string; all: string[] } {
  const full = `${base}${path}`;
  let rest = full === '/api/v1' || full.startsWith('/api/v1/') ? full.slice('/api/v1'.length) : path;
  // A version segment before the resource (`/v2/webhooks`, `/api/v1beta/users`) is a prefix of the
  // paths, not a resource of its own; paths under different versions are resources apart.
  const version = VERSION_PREFIX.exec(rest)?.[0] ?? '';
  rest = rest.slice(version.length);
  const all = rest.split('/').filter(Boolean);
  // A format extension on the last segment (Rails' `/posts.json`, `/posts/{id}.json`: Discourse,
  // Shopify, Redmine) names the representation, not another resource: grouped without it, served with it.
  // The project's own `/openapi.json` is a document, not a format of `/openapi`: it keeps its name.
  const last = all.at(-1);
  if (last !== undefined && FORMAT_SUFFIX.test(last) && !OWN_ROUTES.has(path)) {
    all[all.length - 1] = last.replace(FORMAT_SUFFIX, '');
  }
  return { version, rest, all };
}

/**
 * Groups the spec's paths into resources (a collection path and an item path under one segment,
 * after the server's base path and a version prefix) and the operations that are not CRUD.
 */
export function groupPaths(
  files: SpecFiles,
  doc: JsonObject,
  warnings: ModelWarning[],
  conventions: boolean,
) {
  const base = basePath(doc);
  const paths = isObject(doc.paths) ? doc.paths : {};
  const groups = new Map<string, PathGroup>();
  const custom: CustomSource[] = [];
  // The spec's GETs of the project's own routes: their answers shape the health checks' (own-route-answers.ts).
  const owned: { route: string; loc: Located }[] = [];
  let prefixAdded = false;
  const prefixes = new Set<string>();
  // The namespaced item paths (`/cms/pages/{id}`), by the key of their group.
  const itemKeys = new Set<string>();
  // Paths with a parameter below them (`/contacts` of `/contacts/{id}`): a namespace there would
  // share its segment with a key (`/contacts/imports` against `/contacts/{id}`).
  const keyed = new Set<string>();
  for (const path of Object.keys(paths)) {
    const { version, all } = pathParts(base, path);
    if (!param(all.at(-1))) continue;
    keyed.add(`${version}/${all.slice(0, -1).join('/')}`);
    if (all.length >= 3 && literal(all.at(-2))) itemKeys.add(`${version}/${all.slice(0, -1).join('/')}`);
  }
  for (const [path, raw] of Object.entries(paths)) {
    const item = files.deref({
      node: raw,
      file: files.rootFile,
      pointer: child('/paths', path),
    }) as Located<JsonObject>;
    if (!isObject(item.node)) continue;
    // A path no route can hold (`/things:count`) leaves out its own operations, listed; the rest is generated.
    if (!routablePath(path)) {
      for (const method of METHODS.filter((m) => isObject(item.node[m])))
        warnings.push({
          at: files.where({ file: item.file, pointer: child(item.pointer, method) }),
          code: 'operation-not-generated',
          message: `${method.toUpperCase()} ${path} is not generated: the path has characters a route cannot use (\`* ( ) ? +\` are patterns to the routers).`,
          hint: 'Use letters, digits, -, _, ., ~, @, : and {parameters} in paths.',
        });
      continue;
    }
    const full = `${base}${path}`;
    const { version, rest, all } = pathParts(base, path);
    if (!(full === '/api/v1' || full.startsWith('/api/v1/'))) prefixAdded = true;
    if (version) prefixes.add(version);
    // Served at the spec's own path (under the server's), or under /api/v1 with --conventions.
    const route = conventions ? `/api/v1${rest}` : full;
    // Static segments before the resource's are a namespace kept in its routes (`/cms/pages`,
    // `/@acme/pages`); a namespaced path is CRUD only beside its item path (below), so that actions
    // such as `/user/login` stay handlers.
    const isItemShape = all.length >= 2 && param(all.at(-1));
    const namespace = all.slice(0, isItemShape ? -2 : -1);
    const segments = all.slice(namespace.length);
    const namespaced = namespace.length > 0 && namespace.every((s) => /^@?[A-Za-z][A-Za-z0-9_.-]*$/.test(s));
    const key = `${version}/${namespace.map((s) => `${s}/`).join('')}${segments[0]}`;
    const keyedNamespace = keyed.has(`${version}/${namespace.join('/')}`);
    const crudShaped = namespace.length === 0 || (namespaced && itemKeys.has(key) && !keyedNamespace);
    // A namespaced collection and item left as handlers say why: no silent 501s.
    const why =
      namespace.length > 0 && itemKeys.has(key) && segments.length <= 2 && literal(segments[0]) && !crudShaped
        ? keyedNamespace
          ? `/${namespace.join('/')}/{…} beside it takes the segment ${segments[0]} for a key`
          : namespace.some(param)
            ? `it is nested under a parameter of /${namespace.join('/')}, and nested collections are not CRUD`
            : `its namespace /${namespace.join('/')} has characters a resource name cannot use`
        : undefined;
    const isCollection = crudShaped && segments.length === 1 && literal(segments[0]);
    const isItem = crudShaped && segments.length === 2 && literal(segments[0]) && param(segments[1]);
    for (const method of METHODS) {
      const op = item.node[method];
      if (!isObject(op)) continue;
      const loc = { node: op, file: item.file, pointer: child(item.pointer, method) };
      const kind: CrudKind | undefined = isCollection
        ? ({ get: 'list', post: 'create' } as const)[method as 'get']
        : isItem
          ? ({ get: 'read', put: 'update', patch: 'patch', delete: 'delete' } as const)[method as 'get']
          : undefined;
      if (kind && op['x-tenon-custom'] !== true) {
        const segment = segments[0]!;
        const group = groups.get(key) ?? { segment, ops: [] };
        if (isCollection) {
          group.collection = item;
          group.collectionPath = path;
        } else {
          group.item = item;
          group.itemPath = path;
        }
        group.ops.push({ kind, method, loc, custom: { method, path, route, loc, item } });
        groups.set(key, group);
      } else {
        if (['options', 'head', 'trace'].includes(method)) {
          warnings.push({
            at: files.where(loc),
            code: 'operation-not-generated',
            message: `${method.toUpperCase()} operations are not generated.`,
            hint: 'The server answers HEAD and OPTIONS itself; write other methods as a plugin of your own.',
          });
          continue;
        }
        // The project's own health checks and document (probes, the Dockerfile and its tests use
        // them): two routes on one path would stop Fastify from starting (kratos's GET /health/ready).
        if (method === 'get' && OWN_ROUTES.has(route)) {
          owned.push({ route, loc });
          warnings.push({
            at: files.where(loc),
            code: 'operation-not-generated',
            message: `GET ${path} is not generated: the project serves ${route} itself (${OWN_ROUTES.get(route)!.serves}), not a handler.`,
            hint: 'Move the operation to a path of its own to write it as a handler.',
          });
          continue;
        }
        custom.push({ method, path, route, loc, item });
        // A PUT, PATCH or DELETE on a resource's collection path (Vikunja creates with `PUT /labels`):
        // tenon's CRUD has none there, so it is a handler of its own, said as such.
        const onCollection =
          !why && isCollection && isObject(item.node.get) && ['put', 'patch', 'delete'].includes(method)
            ? `tenon's CRUD has no ${method.toUpperCase()} on a collection path${method === 'put' && !isObject(item.node.post) ? ` (its create is POST ${path}, which the spec does not declare: no operation makes rows as CRUD)` : ''}`
            : undefined;
        if (why || onCollection)
          warnings.push({
            at: files.where(loc),
            code: 'operation-not-crud',
            message: `${method.toUpperCase()} ${path} is a handler of its own (501 until written), not CRUD: ${why ?? onCollection}.`,
            hint: onCollection
              ? "Write it in src/operations/ (the generated repository's create and delete are there to call)."
              : 'Write it in src/operations/, or serve the collection at a path of its own.',
          });
      }
    }
  }
  // A POST alone on its path is an action (POST /multi_search, POST /config) when what it answers is not
  // what it was sent: a handler of its own, not a table that stores the request.
  for (const [key, group] of groups) {
    const action = actionReason(files, group);
    if (!action) continue;
    const op = group.ops[0]!;
    groups.delete(key);
    custom.push(op.custom);
    warnings.push({
      at: files.where(op.loc),
      code: 'operation-not-crud',
      message: `POST ${op.custom.path} is a handler of its own (501 until written), not CRUD: ${action}.`,
      hint: `Write it in src/operations/; if it does create rows, give ${op.custom.path} a GET or a /{id} path, or answer the resource it is sent.`,
    });
  }
  // The report says which prefix was recognised, so that zero resources never come silently.
  for (const prefix of prefixes)
    warnings.push({
      at: files.where({ file: files.rootFile, pointer: '/paths' }),
      message: `paths under ${base}${prefix} are read without ${prefix}: ${prefix}/{resource} and ${prefix}/{resource}/{key} are CRUD paths (served at the spec's own paths${conventions ? `; under /api/v1 with --conventions` : ''}).`,
    });
  return { groups, custom, prefixAdded: conventions && prefixAdded, base, owned };
}
