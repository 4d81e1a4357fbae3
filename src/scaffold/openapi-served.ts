import type {
  CrudOperations,
  ModelWarning,
  OperationParameter,
  ResourceModel,
  ServedAnswer,
  ServedResource,
} from './api-model.js';
import { envelopeData } from './envelope-data.js';
import { pageItems, pageShape } from './list-page.js';
import { itemColumns, removedShape } from './openapi-answers.js';
import type { PropertyInfo } from './openapi-fields.js';
import {
  child,
  isObject,
  type Json,
  type JsonObject,
  type Located,
  type SpecFiles,
} from './openapi-loader.js';
import { bodyMediaOf, isXml } from './openapi-media.js';
import { operationParameters } from './openapi-operations.js';
import { bodyWrapper } from './openapi-wrapper.js';
import { routeOfPath } from './route-params.js';
import { validationStatus } from './validation-status.js';
import { refName, xmlShape } from './xml-shape.js';

/** The CRUD operations of one resource as the spec groups them. */
export interface ResourcePaths {
  /** The collection's and the item's path items (their own `parameters`). */
  collection?: Located<JsonObject>;
  item?: Located<JsonObject>;
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
  return routeOfPath(`${base}${specPath}`);
}

/** Whether a response schema is tenon's envelope (`{ success?, data }`: see {@link envelopeData}). */
function isEnvelope(files: SpecFiles, schema: Located): boolean {
  return envelopeData(files, schema) !== undefined;
}

/**
 * The success answer an operation declares: its first 2xx status (the
 * default when it names only `2XX` or `default`), and whether the body is
 * tenon's envelope — yes when the spec leaves the body open (no JSON
 * schema) or declares an envelope itself, no when it declares the bare item
 * or array.
 */
export function specAnswer(
  files: SpecFiles,
  op: Located<JsonObject>,
  fallback: number,
  kind?: keyof CrudOperations,
): ServedAnswer {
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
  const isJson = (t: string) => t === 'application/json' || /\+json$/.test(t);
  const json = types.find(isJson);
  const jsonTypes = types.filter(isJson);
  // A JSON answer the spec declares in another JSON type only (`application/vnd.api+json`): sent in it.
  // (Only answers with a JSON type carry it: the branch without one below has nothing to add.)
  const ownJson = json && !jsonTypes.includes('application/json') ? { jsonType: json } : {};
  // Answers in XML too (or only): negotiated by Accept (answer-media). A CRUD answer is written from
  // its rows: XML and a list's CSV; any other type only an operation's own handler can write.
  const xml = types.filter(isXml);
  const csv = kind === 'list' && types.includes('text/csv') ? ['text/csv'] : [];
  const raw = kind ? [] : types.filter((t) => !isJson(t) && !isXml(t));
  const notServed = kind ? types.filter((t) => !isJson(t) && !xml.includes(t) && !csv.includes(t)) : [];
  const unserved = notServed.length > 0 ? { notServed } : {};
  // A list's CSV columns: the properties its items declare (the CSV schema's, else the JSON one's).
  const columns = (fallback: Json | undefined) => {
    const at = content['text/csv'];
    const node = isObject(at) && at.schema !== undefined ? at.schema : fallback;
    const pointer = child(
      response.pointer,
      'content',
      isObject(at) && at.schema !== undefined ? 'text/csv' : (json ?? 'text/csv'),
      'schema',
    );
    return node === undefined ? [] : itemColumns(files, { node, file: response.file, pointer });
  };
  const xmlAt = (fallback: Json) => {
    const at = content[xml[0]!];
    const loc = {
      node: isObject(at) && at.schema !== undefined ? at.schema : fallback,
      file: response.file,
      pointer: child(response.pointer, 'content', xml[0]!, 'schema'),
    };
    return xmlShape(files, loc, refName(loc.node));
  };
  if (!json) {
    const served = [...xml, ...csv, ...raw];
    if (served.length === 0) return { status, envelope: false, ...unserved };
    // A DELETE the spec answers only in XML: the object it describes, written in XML.
    const xmlSchema =
      xml.length > 0 && isObject(content[xml[0]!]) ? (content[xml[0]!] as JsonObject).schema : undefined;
    const removed =
      kind === 'delete' && xmlSchema !== undefined
        ? removedShape(files, {
            node: xmlSchema,
            file: response.file,
            pointer: child(response.pointer, 'content', xml[0]!, 'schema'),
          })
        : undefined;
    if (kind === 'delete' && !removed) return { status, envelope: false, ...unserved };
    return {
      status,
      envelope: false,
      ...(removed ? { removed } : {}),
      types: served,
      ...(xml.length > 0 ? { xml: xmlAt({}) } : {}),
      ...(raw.length > 0 ? { raw } : {}),
      ...(csv.length > 0 ? { csv: columns(undefined) } : {}),
      ...unserved,
    };
  }
  const media = content[json];
  if (!isObject(media) || media.schema === undefined) {
    // No JSON schema: the envelope, unless the handler writes some other type itself.
    return raw.length > 0 && !kind
      ? { ...ownJson, status, envelope: false, types: [...jsonTypes, ...raw], raw }
      : { ...ownJson, status, envelope: true, ...unserved };
  }
  const schema = {
    node: media.schema,
    file: response.file,
    pointer: child(response.pointer, 'content', json!, 'schema'),
  };
  // One row the spec wraps under a key (`{ "article": {…} }`): written as `{ article: row }`, in JSON
  // (a wrapper has no XML form tenon writes from rows). A DELETE's wrapper is the removed row when the
  // other answers wrap it alike (wrapped-bodies.ts's wrapperIssue leaves the others to handlers).
  const wrapper = kind && kind !== 'list' ? bodyWrapper(files, schema) : undefined;
  if (wrapper?.shape === 'one')
    return { ...ownJson, status, envelope: false, wrap: wrapper.key, ...unserved };
  // A list page of the spec's own with a `data` array (`{ data, has_more }`), or nested in `data`
  // (`{ data: { results, total } }`), is written in its shape (pageItems leaves tenon's envelope out).
  // A DELETE's object (`{ data: true }`, `{ object, id, deleted }`) is answered as declared, envelope-like or not.
  const envelope =
    isEnvelope(files, schema) && kind !== 'delete' && (kind !== 'list' || !pageItems(files, schema));
  const removed = kind === 'delete' && !envelope ? removedShape(files, schema) : undefined;
  const page = kind === 'list' && !envelope ? pageShape(files, schema) : undefined;
  // The envelope and a page object have no XML or CSV form the spec describes: other types are served
  // for bare answers only (a DELETE's, when it answers an object).
  if (!envelope && !page && xml.length + csv.length + raw.length > 0 && (kind !== 'delete' || removed)) {
    return {
      ...ownJson,
      status,
      envelope,
      ...(removed ? { removed } : {}),
      types: [...jsonTypes, ...xml, ...csv, ...raw],
      ...(xml.length > 0 ? { xml: xmlAt(media.schema) } : {}),
      ...(raw.length > 0 ? { raw } : {}),
      ...(csv.length > 0 ? { csv: columns(media.schema) } : {}),
      ...unserved,
    };
  }
  return {
    ...ownJson,
    status,
    envelope,
    ...(removed ? { removed } : {}),
    ...(page ? { page } : {}),
    ...unserved,
  };
}

/** The spec's routes of a resource, its item key and each CRUD operation's answer. */
export function servedResource(files: SpecFiles, group: ResourcePaths, base: string): ServedResource {
  const key = /\{([^}]+)\}(?:\.json)?$/.exec(group.itemPath ?? '')?.[1] ?? 'id';
  const answers: ServedResource['answers'] = {};
  for (const op of group.ops) {
    const answer = specAnswer(files, op.loc, DEFAULT_STATUS[op.kind], op.kind);
    const invalid = validationStatus(
      Object.keys(isObject(op.loc.node.responses) ? op.loc.node.responses : {}),
    );
    answers[op.kind] = invalid === 400 ? answer : { ...answer, invalid };
  }
  // An operation's parameters: its path item's, overridden by its own of the same name and place.
  const declaredOf = (kind: keyof CrudOperations): OperationParameter[] => {
    const op = group.ops.find((o) => o.kind === kind)?.loc;
    if (!op) return [];
    const item = kind === 'list' || kind === 'create' ? group.collection : group.item;
    const byName = new Map<string, OperationParameter>();
    const declared = [
      ...(item
        ? operationParameters(files, item.node.parameters, item.file, child(item.pointer, 'parameters'))
        : []),
      ...operationParameters(files, op.node.parameters, op.file, child(op.pointer, 'parameters')),
    ];
    for (const p of declared) if (p.in !== 'path') byName.set(`${p.in}:${p.name}`, p);
    return [...byName.values()];
  };
  // The key as the item operations declare it: a string of no format names a row by any text. The
  // routes share one key schema: when some declare it so (Discourse's GET /posts/{id}.json, while its
  // DELETE declares an integer), any text is taken and names no row where no id can be it (404).
  const keyDeclared = group.ops
    .filter((o) => o.kind !== 'list' && o.kind !== 'create')
    .flatMap((o) => [
      ...(group.item
        ? operationParameters(
            files,
            group.item.node.parameters,
            group.item.file,
            child(group.item.pointer, 'parameters'),
          )
        : []),
      ...operationParameters(files, o.loc.node.parameters, o.loc.file, child(o.loc.pointer, 'parameters')),
    ])
    .filter((p) => p.in === 'path' && p.name === key);
  const keyAnyString = keyDeclared.some(
    (p) =>
      p.schema.type === 'string' &&
      p.schema.format === undefined &&
      p.schema.pattern === undefined &&
      p.schema.enum === undefined,
  );
  const queryOf = (kind: 'list' | 'read') => declaredOf(kind).filter((p) => p.in === 'query');
  const listQuery = queryOf('list');
  const readQuery = queryOf('read');
  // Header and cookie parameters of every operation, query parameters of those without a query of their own.
  const parameters: NonNullable<ServedResource['parameters']> = {};
  for (const { kind } of group.ops) {
    const own = declaredOf(kind).filter((p) => p.in !== 'query' || (kind !== 'list' && kind !== 'read'));
    if (own.length > 0) parameters[kind] = own;
  }
  const patch = group.ops.find((o) => o.kind === 'patch')?.loc;
  const patchBody =
    patch?.node.requestBody === undefined
      ? undefined
      : files.deref({
          node: patch.node.requestBody,
          file: patch.file,
          pointer: child(patch.pointer, 'requestBody'),
        }).node;
  const patchBodyOptional = patch !== undefined && !(isObject(patchBody) && patchBody.required === true);
  const bodyMedia: NonNullable<ServedResource['bodyMedia']> = {};
  for (const { kind, loc } of group.ops) {
    if (kind !== 'create' && kind !== 'update' && kind !== 'patch') continue;
    const media = bodyMediaOf(files, loc);
    if (media) bodyMedia[kind] = media;
  }
  return {
    ...(Object.keys(bodyMedia).length > 0 ? { bodyMedia } : {}),
    ...(patchBodyOptional ? { patchBodyOptional } : {}),
    ...(listQuery.length > 0 ? { listQuery } : {}),
    ...(readQuery.length > 0 ? { readQuery } : {}),
    ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    ...(group.collectionPath !== undefined ? { collection: routeOf(base, group.collectionPath) } : {}),
    ...(group.itemPath !== undefined ? { item: routeOf(base, group.itemPath) } : {}),
    key,
    ...(keyAnyString ? { keyAnyString } : {}),
    answers,
  };
}

/**
 * When the item path's key names a property of the resource
 * (`/special-events/{eventId}` and `SpecialEvent.eventId`, a uuid or an
 * integer), that property is the resource's id: the primary key (column
 * `id`), generated by the database, answered as `eventId`. Returns the
 * properties without it.
 */
export function keyAsId(
  resource: ResourceModel,
  props: PropertyInfo[],
  warnings: ModelWarning[],
): PropertyInfo[] {
  const key = resource.served?.key;
  if (!key || key === 'id' || props.some((p) => p.system === 'id')) return props;
  const field = resource.fields.find((f) => f.name === key);
  if (!field || !['uuid', 'integer', 'bigint'].includes(field.kind)) return props;
  resource.fields = resource.fields.filter((f) => f !== field);
  resource.idKind = field.kind === 'uuid' ? 'uuid' : 'bigint';
  resource.idName = key;
  warnings.push({
    at: resource.source,
    message: `${resource.name}.${key} is the key of ${resource.served!.item}: it is the primary key (column id, ${field.kind === 'uuid' ? 'gen_random_uuid()' : 'an identity'}), set by the database.`,
  });
  return props.filter((p) => p.field !== field);
}
