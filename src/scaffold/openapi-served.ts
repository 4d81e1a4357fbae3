import { TenonError } from '../core/errors.js';
import { answerGap } from './answer-gap.js';
import type {
  CrudOperations,
  FieldModel,
  ModelWarning,
  OperationParameter,
  ResourceModel,
  ServedAnswer,
  ServedBody,
  ServedResource,
} from './api-model.js';
import { bodyKey } from './client-key.js';
import { envelopeOnly, pageItems, pageShape } from './list-page.js';
import { itemColumns, removedShape } from './openapi-answers.js';
import { type PropertyInfo, propertyToField } from './openapi-fields.js';
import {
  child,
  isObject,
  type Json,
  type JsonObject,
  type Located,
  type SpecFiles,
} from './openapi-loader.js';
import { bodyMediaOf, contentSchema, isXml, requestBodyContent } from './openapi-media.js';
import { operationParameters } from './openapi-operations.js';
import { normalizeSchema, toStandaloneSchema } from './openapi-schema.js';
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
      ? { status, envelope: false, types: [...jsonTypes, ...raw], raw }
      : { status, envelope: true, ...unserved };
  }
  const schema = {
    node: media.schema,
    file: response.file,
    pointer: child(response.pointer, 'content', json!, 'schema'),
  };
  // A list page of the spec's own with a `data` array (`{ data, has_more }`) is written in its shape.
  const envelope =
    isEnvelope(files, schema) &&
    (kind !== 'list' || envelopeOnly(files, schema) || !pageItems(files, schema));
  const removed = kind === 'delete' && !envelope ? removedShape(files, schema) : undefined;
  const page = kind === 'list' && !envelope ? pageShape(files, schema) : undefined;
  // The envelope and a page object have no XML or CSV form the spec describes: other types are served
  // for bare answers only (a DELETE's, when it answers an object).
  if (!envelope && !page && xml.length + csv.length + raw.length > 0 && (kind !== 'delete' || removed)) {
    return {
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
  return { status, envelope, ...(removed ? { removed } : {}), ...(page ? { page } : {}), ...unserved };
}

/** The spec's routes of a resource, its item key and each CRUD operation's answer. */
export function servedResource(files: SpecFiles, group: ResourcePaths, base: string): ServedResource {
  const key = /\{([^}]+)\}$/.exec(group.itemPath ?? '')?.[1] ?? 'id';
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
  // The key as the item operations declare it: a string of no format names a row by any text.
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
  const keyAnyString =
    keyDeclared.length > 0 &&
    keyDeclared.every(
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

/** The JSON schema of an operation's request body, if it has one. */
function requestBodySchema(files: SpecFiles, op: Located<JsonObject>): Located | undefined {
  const found = requestBodyContent(files, op);
  if (found === undefined) return undefined;
  return contentSchema(found.content, found.body);
}

/**
 * Reads the request bodies of a resource's create/update/patch operations.
 * A body property the read schema lacks (museum's `email` when buying a
 * ticket) becomes a write-only field: accepted, stored, never returned.
 * A field the answers require that the create body does not (a server-set
 * value, museum's `confirmationCode`) gets a column default — the spec's
 * example, or the zero of its type — or, failing that, a nullable column;
 * each such decision is a warning in the report.
 */
export function servedBodies(
  files: SpecFiles,
  group: ResourcePaths,
  resource: ResourceModel,
  warnings: ModelWarning[],
): void {
  if (!resource.served) return;
  const bodies: NonNullable<ServedResource['bodies']> = {};
  const known = new Set(resource.fields.map((f) => f.name));
  const system = new Set(['id', resource.idName ?? 'id', resource.createdAtName, resource.updatedAtName]);
  for (const op of group.ops) {
    if (op.kind !== 'create' && op.kind !== 'update' && op.kind !== 'patch') continue;
    const loc = requestBodySchema(files, op.loc);
    if (!loc) continue;
    const norm = normalizeSchema(files, loc);
    if (!isObject(norm.schema.properties)) continue;
    const required = new Set(Array.isArray(norm.schema.required) ? norm.schema.required.map(String) : []);
    const properties: string[] = [];
    const schemas: Record<string, JsonObject> = {};
    let key: ServedBody['key'];
    for (const [name, at] of Object.entries(norm.propertyLocations)) {
      // The key in a body (petstore's `"id": 10`) is accepted unless readOnly (client-key.ts).
      if (name === (resource.idName ?? 'id') && name in norm.schema.properties)
        key = bodyKey(
          toStandaloneSchema(files, at),
          required.has(name),
          normalizeSchema(files, at).schema.readOnly === true,
        );
      if (!(name in norm.schema.properties) || system.has(name)) continue;
      if (!known.has(name)) {
        const info = propertyToField(files, name, at, false);
        if (info.system) continue;
        resource.fields.push({ ...info.field, writeOnly: true, readOnly: false });
        known.add(name);
        warnings.push({
          at: files.where(at),
          message: `${resource.name}.${name} is in the ${op.kind} body but not in the answers: stored in a column of its own and never returned.`,
        });
      }
      const field = resource.fields.find((f) => f.name === name)!;
      if (field.readOnly) continue;
      properties.push(name);
      if (field.kind !== 'json') continue;
      // A jsonb column stores any JSON: the body's own schema decides what is valid.
      const own = toStandaloneSchema(files, at);
      if (JSON.stringify(own) === JSON.stringify(field.jsonSchema)) continue;
      schemas[name] = own;
      if (field.jsonSchema?.type === 'array' && own.type !== 'array') field.listOfOne = true;
      // A stored value the answers could not write would be a 500 after the commit: handlers instead.
      const gap = field.jsonSchema && answerGap(own, field.jsonSchema);
      if (gap)
        throw new TenonError(
          'TENON_SCAFFOLD_SPEC_UNSUPPORTED',
          `${files.where(at)}: ${resource.name}.${name} in the ${op.kind} body may leave out ${name}${gap.startsWith('[') ? '' : '.'}${gap}, which the answers require; a stored value could not be answered.`,
          {
            hint: `Require ${gap} in the ${op.kind} body's ${name}, make it optional in the answers, or write the operations in src/operations/.`,
            details: { pointer: at.pointer },
          },
        );
    }
    // The path's key names the row: a body that leaves that property out gets it from the path
    // (the routes fill it on PUT), so rows always have it — the repository and its types take it.
    const lookup = resource.lookupKey;
    if (lookup && op.kind !== 'patch' && !properties.includes(lookup)) properties.push(lookup);
    const body: ServedBody = { properties, required: properties.filter((p) => required.has(p)) };
    if (Object.keys(schemas).length > 0) body.schemas = schemas;
    if (key) body.key = key;
    if (typeof norm.schema.minProperties === 'number') body.minProperties = norm.schema.minProperties;
    if (typeof norm.schema.maxProperties === 'number') body.maxProperties = norm.schema.maxProperties;
    bodies[op.kind] = body;
  }
  if (Object.keys(bodies).length > 0) resource.served.bodies = bodies;
  const create = bodies.create;
  if (!create) return;
  if (create.key)
    warnings.push({
      at: resource.source,
      message: `${resource.name}.${resource.idName ?? 'id'} is in the create body: a client's value is the primary key (409 when taken${resource.idKind === 'bigint' ? '; the identity is moved past it' : ''}), the server sets one otherwise; on update it is accepted and not stored.`,
    });
  for (const field of resource.fields) {
    // An optional, non-nullable uuid of the answers that a create may leave out (museum's
    // ticketId, "generated when purchased", the key of /tickets/{ticketId}/qr) would have no
    // value: the database makes one when the create does not give it. References to other
    // rows never get one (check-model takes it off).
    if (
      !field.required &&
      field.kind === 'uuid' &&
      !field.nullable &&
      !field.writeOnly &&
      field.default === undefined &&
      !create.required.includes(field.name)
    ) {
      field.serverDefault = 'uuid';
      warnings.push({
        at: resource.source,
        message: `${resource.name}.${field.name} is an optional uuid of the answers: the database sets a new one when the create does not give it; set your own in src/resources/${resource.kebab}.service.ts.`,
      });
      continue;
    }
    if (
      !field.required ||
      field.nullable ||
      field.default !== undefined ||
      create.required.includes(field.name)
    )
      continue;
    const example = field.example;
    const zero: Partial<Record<FieldModel['kind'], string | number | boolean>> = {
      integer: 0,
      bigint: 0,
      number: 0,
      decimal: 0,
      boolean: false,
    };
    const value =
      typeof example === 'string' || typeof example === 'number' || typeof example === 'boolean'
        ? example
        : field.kind === 'enum'
          ? field.enumValues![0]
          : (field.kind === 'string' || field.kind === 'text') && !field.minLength && !field.pattern
            ? ''
            : zero[field.kind];
    // A uuid, a time or a date the spec leaves to the server: the database sets one on insert
    // (an example would give every row the same value).
    const generated = ({ uuid: 'uuid', datetime: 'now', date: 'today' } as const)[
      field.kind as 'uuid' | 'datetime' | 'date'
    ];
    if (generated) {
      field.serverDefault = generated;
      warnings.push({
        at: resource.source,
        message: `${resource.name}.${field.name} is required in the answers but not on create: the database sets ${generated === 'uuid' ? 'a new uuid' : generated === 'now' ? 'the time of the insert' : 'the date of the insert'} unless the request gives it; set your own in src/resources/${resource.kebab}.service.ts.`,
      });
      continue;
    }
    if (value !== undefined && !['uuid', 'date', 'datetime', 'json'].includes(field.kind)) {
      field.default = value;
      warnings.push({
        at: resource.source,
        message: `${resource.name}.${field.name} is required in the answers but not on create: the server sets ${JSON.stringify(value)} (the spec's example or the zero of its type) unless the request gives it; set your own in src/resources/${resource.kebab}.service.ts.`,
      });
    } else {
      field.required = false;
      warnings.push({
        at: resource.source,
        message: `${resource.name}.${field.name} is required in the answers but not on create, and has no example or default: its column is nullable and the answer leaves it out until your service sets it (src/resources/${resource.kebab}.service.ts).`,
      });
    }
  }
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
