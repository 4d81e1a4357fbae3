import type { CrudOperations, ModelWarning } from './api-model.js';
import { pageItems } from './list-page.js';
import { child, isObject, type JsonObject, type Located, type SpecFiles } from './openapi-loader.js';
import { servedBodyType } from './openapi-media.js';
import { normalizeSchema } from './openapi-schema.js';

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
  const content = loc.node.content;
  // JSON's schema; else that of XML, a form or multipart (a resource the spec describes only in those).
  const type =
    Object.keys(content).find((t) => t === 'application/json' || /\+json$/.test(t)) ??
    Object.keys(content).find(servedBodyType);
  const media = type ? content[type] : undefined;
  if (!isObject(media) || media.schema === undefined) return undefined;
  return { node: media.schema, file: loc.file, pointer: child(loc.pointer, 'content', type!, 'schema') };
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

function bodySchema(files: SpecFiles, op: Located<JsonObject>): Located | undefined {
  if (op.node.requestBody === undefined) return undefined;
  return jsonSchemaOf(files, {
    node: op.node.requestBody,
    file: op.file,
    pointer: child(op.pointer, 'requestBody'),
  });
}

/** Unwraps `{ success, data: X }` envelopes and arrays to the item schema. */
function unwrap(files: SpecFiles, loc: Located, list: boolean): Located {
  const norm = normalizeSchema(files, loc);
  const props = isObject(norm.schema.properties) ? norm.schema.properties : undefined;
  if (props?.data !== undefined && (props.success !== undefined || Object.keys(props).length <= 3)) {
    return unwrap(
      files,
      norm.propertyLocations.data ?? {
        node: props.data,
        file: norm.loc.file,
        pointer: child(norm.loc.pointer, 'properties', 'data'),
      },
      list,
    );
  }
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
  let prefixAdded = false;
  const prefixes = new Set<string>();
  for (const [path, raw] of Object.entries(paths)) {
    const item = files.deref({
      node: raw,
      file: files.rootFile,
      pointer: child('/paths', path),
    }) as Located<JsonObject>;
    if (!isObject(item.node)) continue;
    const full = `${base}${path}`;
    let rest = path;
    if (full === '/api/v1' || full.startsWith('/api/v1/')) rest = full.slice('/api/v1'.length);
    else prefixAdded = true;
    // A version segment before the resource (`/v2/webhooks`, `/api/v1beta/users`) is a prefix of the
    // paths, not a resource of its own; paths under different versions are resources apart.
    const version = VERSION_PREFIX.exec(rest)?.[0] ?? '';
    rest = rest.slice(version.length);
    if (version) prefixes.add(version);
    // Served at the spec's own path (under the server's), or under /api/v1 with --conventions.
    const route = conventions ? `/api/v1${rest}` : full;
    const segments = rest.split('/').filter(Boolean);
    const literal = (s: string | undefined) => s !== undefined && /^[A-Za-z][A-Za-z0-9_-]*$/.test(s);
    const param = (s: string | undefined) => s !== undefined && /^\{[^}]+\}$/.test(s);
    const isCollection = segments.length === 1 && literal(segments[0]);
    const isItem = segments.length === 2 && literal(segments[0]) && param(segments[1]);
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
        const group = groups.get(`${version}/${segment}`) ?? { segment, ops: [] };
        if (isCollection) {
          group.collection = item;
          group.collectionPath = path;
        } else {
          group.item = item;
          group.itemPath = path;
        }
        group.ops.push({ kind, method, loc, custom: { method, path, route, loc, item } });
        groups.set(`${version}/${segment}`, group);
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
        custom.push({ method, path, route, loc, item });
      }
    }
  }
  // The report says which prefix was recognised, so that zero resources never come silently.
  for (const prefix of prefixes)
    warnings.push({
      at: files.where({ file: files.rootFile, pointer: '/paths' }),
      message: `paths under ${base}${prefix} are read without ${prefix}: ${prefix}/{resource} and ${prefix}/{resource}/{key} are CRUD paths (served at the spec's own paths${conventions ? `; under /api/v1 with --conventions` : ''}).`,
    });
  return { groups, custom, prefixAdded: conventions && prefixAdded, base };
}
