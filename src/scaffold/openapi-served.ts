import type { CrudOperations, ServedAnswer, ServedResource } from './api-model.js';
import { child, isObject, type JsonObject, type Located, type SpecFiles } from './openapi-loader.js';
import { normalizeSchema } from './openapi-schema.js';

/** The CRUD operations of one resource as the spec groups them. */
export interface ResourcePaths {
  collectionPath?: string;
  itemPath?: string;
  ops: { kind: keyof CrudOperations; loc: Located<JsonObject> }[];
}

const DEFAULT_STATUS: Record<keyof CrudOperations, number> = {
  list: 200,
  create: 201,
  read: 200,
  update: 200,
  patch: 200,
  delete: 204,
};

/** `/pets/{petId}` under `/v2` → `/v2/pets/:petId`. */
export function routeOf(base: string, specPath: string): string {
  return `${base}${specPath}`.replace(/\{([^}]+)\}/g, ':$1');
}

/** Whether a response schema is tenon's envelope (`{ success?, data }`). */
function isEnvelope(files: SpecFiles, schema: Located): boolean {
  const norm = normalizeSchema(files, schema);
  return isObject(norm.schema.properties) && norm.schema.properties.data !== undefined;
}

/**
 * The success answer an operation declares: its first 2xx status (the
 * default when it names only `2XX` or `default`), and whether the body is
 * tenon's envelope — yes when the spec leaves the body open (no JSON
 * schema) or declares an envelope itself, no when it declares the bare item
 * or array.
 */
export function specAnswer(files: SpecFiles, op: Located<JsonObject>, fallback: number): ServedAnswer {
  const responses = isObject(op.node.responses) ? op.node.responses : {};
  const statuses = Object.keys(responses)
    .filter((s) => /^2\d\d$/.test(s))
    .sort();
  const key = statuses[0] ?? (responses['2XX'] !== undefined ? '2XX' : 'default');
  const status = statuses[0] ? Number(statuses[0]) : fallback;
  if (responses[key] === undefined) return { status, envelope: true };
  const response = files.deref({
    node: responses[key]!,
    file: op.file,
    pointer: child(op.pointer, 'responses', key),
  });
  const content = isObject(response.node) && isObject(response.node.content) ? response.node.content : {};
  const types = Object.keys(content);
  if (types.length === 0) return { status, envelope: true };
  const json = types.find((t) => t === 'application/json' || /\+json$/.test(t));
  const media = json ? content[json] : undefined;
  if (!isObject(media) || media.schema === undefined) return { status, envelope: json !== undefined };
  const schema = {
    node: media.schema,
    file: response.file,
    pointer: child(response.pointer, 'content', json!, 'schema'),
  };
  return { status, envelope: isEnvelope(files, schema) };
}

/** The spec's routes of a resource, its item key and each CRUD operation's answer. */
export function servedResource(files: SpecFiles, group: ResourcePaths, base: string): ServedResource {
  const key = /\{([^}]+)\}$/.exec(group.itemPath ?? '')?.[1] ?? 'id';
  const answers: ServedResource['answers'] = {};
  for (const op of group.ops) answers[op.kind] = specAnswer(files, op.loc, DEFAULT_STATUS[op.kind]);
  return {
    ...(group.collectionPath !== undefined ? { collection: routeOf(base, group.collectionPath) } : {}),
    ...(group.itemPath !== undefined ? { item: routeOf(base, group.itemPath) } : {}),
    key,
    answers,
  };
}
