import type { ApiModel, CrudOperations, ResourceModel } from './api-model.js';
import { wrapsData } from './envelope-data.js';
import {
  createSchema,
  idSchema,
  itemSchema,
  listQuerySchema,
  patchSchema,
  type Schema,
} from './json-schemas.js';
import { toPascal } from './naming.js';
import { isObject, type JsonObject } from './openapi-loader.js';

const ERROR_SCHEMA: Schema = {
  type: 'object',
  required: ['success', 'error', 'meta'],
  properties: {
    success: { const: false },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            properties: { in: { type: 'string' }, field: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
    meta: { type: 'object', properties: { requestId: { type: 'string' } } },
  },
};

function json(schema: unknown, description: string): JsonObject {
  return { description, content: { 'application/json': { schema: schema as JsonObject } } } as JsonObject;
}

function one(data: unknown): Schema {
  return { type: 'object', properties: { success: { const: true }, data } };
}

function list(item: unknown): Schema {
  return {
    type: 'object',
    properties: {
      success: { const: true },
      data: { type: 'array', items: item },
      meta: {
        type: 'object',
        properties: {
          page: { type: 'integer' },
          limit: { type: 'integer' },
          total: { type: 'integer' },
          // False when total is the planner's estimate (lists longer than the exact-count limit).
          totalExact: { type: 'boolean' },
          nextCursor: { type: ['string', 'null'] },
        },
      },
    },
  };
}

const errorRef = { $ref: '#/components/schemas/TenonError' };
const errors = (...codes: string[]): JsonObject =>
  Object.fromEntries(
    codes.map((c) => [
      c,
      json(errorRef, { '400': 'Invalid request', '404': 'Not found', '409': 'Conflict' }[c] ?? 'Error'),
    ]),
  );

/** An answer already wrapping its payload under `data` (envelope-data.ts's rule: a row with a `data` column is no wrapper). */
function isEnvelope(schema: unknown): boolean {
  return isObject(schema) && wrapsData(schema.properties);
}

/** The envelope-wrapped success responses and error responses of one CRUD operation. */
function crudResponses(kind: keyof CrudOperations, data: unknown): JsonObject {
  switch (kind) {
    case 'list':
      return { '200': json(list(data), 'A page of items'), ...errors('400') };
    case 'create':
      return { '201': json(one(data), 'Created; Location names the new item'), ...errors('400', '409') };
    case 'delete':
      return { '204': { description: 'Deleted' }, ...errors('400', '404', '409') };
    case 'read':
      return { '200': json(one(data), 'The item'), ...errors('400', '404') };
    default:
      // A replacement or patch can hit a unique value another row holds (409), as a create can.
      return { '200': json(one(data), 'The item'), ...errors('400', '404', '409') };
  }
}

/** Rewrites 3.1-only keywords the envelope uses (`const`, `type: [x, 'null']`) for an OpenAPI 3.0 document. */
function toOpenApi30(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toOpenApi30);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'const') out.enum = [v];
    else if (k === 'type' && Array.isArray(v)) {
      const rest = v.filter((t) => t !== 'null');
      out.type = rest.length === 1 ? rest[0]! : rest;
      if (rest.length !== v.length) out.nullable = true;
    } else out[k] = toOpenApi30(v) as JsonObject;
  }
  return out;
}

/** An OpenAPI 3.1 document describing a model's `resources` (for projects generated from the resource DSL). */
export function documentFromModel(
  model: ApiModel,
  resources: readonly ResourceModel[] = model.resources,
): JsonObject {
  const paths: JsonObject = {};
  const schemas: JsonObject = { TenonError: ERROR_SCHEMA as JsonObject };
  for (const r of resources) {
    schemas[r.name] = itemSchema(r, model.resources) as JsonObject;
    schemas[`${r.name}Create`] = createSchema(r) as JsonObject;
    schemas[`${r.name}Patch`] = patchSchema(r) as JsonObject;
    const ref = { $ref: `#/components/schemas/${r.name}` };
    const body = (name: string) => ({
      required: true,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
    });
    const idParam = { name: 'id', in: 'path', required: true, schema: idSchema(r) };
    const query = listQuerySchema(r);
    const queryParams = Object.entries(query.properties as Record<string, unknown>).map(([name, schema]) => ({
      name,
      in: 'query',
      required: false,
      schema,
    }));
    const tag = toPascal(r.plural);
    paths[`/api/v1/${r.plural}`] = {
      get: {
        operationId: `list${tag}`,
        tags: [tag],
        parameters: queryParams,
        responses: crudResponses('list', ref),
      },
      post: {
        operationId: `create${r.name}`,
        tags: [tag],
        requestBody: body(`${r.name}Create`),
        responses: crudResponses('create', ref),
      },
    } as JsonObject;
    paths[`/api/v1/${r.plural}/{id}`] = {
      parameters: [idParam],
      get: { operationId: `get${r.name}`, tags: [tag], responses: crudResponses('read', ref) },
      put: {
        operationId: `replace${r.name}`,
        tags: [tag],
        requestBody: body(`${r.name}Create`),
        responses: crudResponses('update', ref),
      },
      patch: {
        operationId: `update${r.name}`,
        tags: [tag],
        requestBody: body(`${r.name}Patch`),
        responses: crudResponses('patch', ref),
      },
      delete: { operationId: `delete${r.name}`, tags: [tag], responses: crudResponses('delete', ref) },
    } as JsonObject;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: model.title,
      version: model.version,
      ...(model.description ? { description: model.description } : {}),
    },
    paths,
    components: { schemas },
  } as JsonObject;
}

function successSchema(op: JsonObject): unknown {
  const responses = isObject(op.responses) ? op.responses : {};
  for (const status of ['200', '201', '2XX', 'default']) {
    const r = responses[status];
    const content = isObject(r) && isObject(r.content) ? r.content : undefined;
    const media = content ? Object.values(content).find(isObject) : undefined;
    if (isObject(media) && media.schema !== undefined) return media.schema;
  }
  return undefined;
}

/**
 * The document a project generated from a spec serves: the spec bundled
 * into one file, with the CRUD responses described as the envelope the
 * generated routes really send, and `servers` set to `/api/v1` when the
 * spec's paths lacked that prefix.
 */
export function servedDocument(bundled: JsonObject, model: ApiModel, prefixAdded: boolean): JsonObject {
  const doc = structuredClone(bundled);
  if (prefixAdded) doc.servers = [{ url: '/api/v1' }];
  if (!isObject(doc.components)) doc.components = {};
  const components = doc.components as JsonObject;
  if (!isObject(components.schemas)) components.schemas = {};
  const schemas = components.schemas as JsonObject;
  const v30 = typeof doc.openapi === 'string' && doc.openapi.startsWith('3.0');
  if (!schemas.TenonError)
    schemas.TenonError = (v30 ? toOpenApi30(ERROR_SCHEMA) : ERROR_SCHEMA) as JsonObject;
  const paths = isObject(doc.paths) ? doc.paths : {};
  const methods: [keyof CrudOperations, 'collection' | 'item', string][] = [
    ['list', 'collection', 'get'],
    ['create', 'collection', 'post'],
    ['read', 'item', 'get'],
    ['update', 'item', 'put'],
    ['patch', 'item', 'patch'],
    ['delete', 'item', 'delete'],
  ];
  const opOf = (r: ResourceModel, which: 'collection' | 'item', method: string): JsonObject | undefined => {
    const path = r.specPaths?.[which];
    const item = path ? paths[path] : undefined;
    const op = isObject(item) ? item[method] : undefined;
    return isObject(op) ? op : undefined;
  };
  const unwrapData = (schema: unknown, list: boolean): unknown => {
    const data = isEnvelope(schema) ? ((schema as JsonObject).properties as JsonObject).data : schema;
    return list && isObject(data) && data.type === 'array' ? data.items : data;
  };
  /** The spec's own schema of one item: from GET /{id}, GET / or the POST body, in that order. */
  const resourceSchema = (r: ResourceModel): unknown => {
    const read = opOf(r, 'item', 'get');
    const list = opOf(r, 'collection', 'get');
    const create = opOf(r, 'collection', 'post');
    const body =
      isObject(create?.requestBody) && isObject(create.requestBody.content)
        ? Object.values(create.requestBody.content).find(isObject)
        : undefined;
    return (
      (read && unwrapData(successSchema(read), false)) ??
      (list && unwrapData(successSchema(list), true)) ??
      (isObject(body) ? body.schema : undefined)
    );
  };
  for (const r of model.resources as ResourceModel[]) {
    for (const [kind, which, method] of methods) {
      const op = opOf(r, which, method);
      if (!op || !r.operations[kind]) continue;
      const data = successSchema(op);
      if (isEnvelope(data)) continue;
      const itemData =
        (kind === 'list' && isObject(data) && data.type === 'array' ? data.items : data) ?? resourceSchema(r);
      const responses = crudResponses(kind, itemData ?? itemSchema(r, model.resources));
      op.responses = (v30 ? toOpenApi30(responses) : responses) as JsonObject;
    }
  }
  return doc;
}
