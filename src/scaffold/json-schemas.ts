import type { FieldModel, ResourceModel } from './api-model.js';
import { ORDERED_KINDS } from './api-model.js';
import { keyProperty } from './client-key.js';
import { openSort } from './declared-sort.js';
import { firstPage, listOffset } from './list-paging.js';

/** A JSON Schema object as the generated project uses it (draft-07, compiled by ajv and fast-json-stringify). */
export type Schema = Record<string, unknown>;

/** The most rows one list page returns, and the default. */
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;
/** The deepest page number accepted; deeper reads should use the keyset cursor. */
export const MAX_PAGE = 100_000;

const INT4 = { min: -2147483648, max: 2147483647 };
const SAFE = { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

function withBounds(field: FieldModel, base: Schema, bounds?: { min: number; max: number }): Schema {
  const s: Schema = { ...base };
  const min = field.minimum;
  const max = field.maximum;
  if (bounds) {
    // Out-of-range integers are a 400 from the validator, never a 500 from PostgreSQL.
    s.minimum = Math.max(min ?? bounds.min, bounds.min);
    s.maximum = Math.min(max ?? bounds.max, bounds.max);
  } else {
    if (min !== undefined) s.minimum = min;
    if (max !== undefined) s.maximum = max;
  }
  if (field.exclusiveMinimum !== undefined) s.exclusiveMinimum = field.exclusiveMinimum;
  if (field.exclusiveMaximum !== undefined) s.exclusiveMaximum = field.exclusiveMaximum;
  return s;
}

function withLength(field: FieldModel, base: Schema): Schema {
  const s: Schema = { ...base };
  if (field.minLength !== undefined) s.minLength = field.minLength;
  if (field.maxLength !== undefined) s.maxLength = field.maxLength;
  if (field.pattern !== undefined) s.pattern = field.pattern;
  return s;
}

/** The schema of a field's value, not yet nullable. */
export function valueSchema(field: FieldModel): Schema {
  switch (field.kind) {
    case 'string':
    case 'text':
      return withLength(field, { type: 'string' });
    case 'email':
      return withLength(field, { type: 'string', format: 'email', maxLength: field.maxLength ?? 320 });
    case 'uri':
      return withLength(field, { type: 'string', format: 'uri', maxLength: field.maxLength ?? 2048 });
    case 'uuid':
      return { type: 'string', format: 'uuid' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'enum':
      return { type: 'string', enum: [...field.enumValues!] };
    case 'integer':
      return withBounds(field, { type: 'integer' }, INT4);
    case 'bigint':
      return withBounds(field, { type: 'integer' }, SAFE);
    case 'number':
    case 'decimal':
      return withBounds(field, { type: 'number' });
    case 'boolean':
      return { type: 'boolean' };
    case 'json':
      return { ...(field.jsonSchema ?? {}) };
  }
}

/** Adds `null` to a schema's accepted values. */
export function nullable(schema: Schema): Schema {
  if (typeof schema.type === 'string') {
    const out: Schema = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum)) out.enum = [...schema.enum, null];
    return out;
  }
  if (Object.keys(schema).length === 0) return schema;
  return { anyOf: [schema, { type: 'null' }] };
}

/** Whether the column of a field may hold NULL. */
export function columnNullable(field: FieldModel): boolean {
  return (
    !(field.required && !field.nullable) &&
    !(field.default !== undefined && field.default !== null && !field.nullable)
  );
}

function describe(field: FieldModel, schema: Schema): Schema {
  const out = { ...schema };
  if (field.description) out.description = field.description;
  return out;
}

/** Fields a client may send. */
export function writableFields(resource: ResourceModel): FieldModel[] {
  return resource.fields.filter((f) => !f.readOnly);
}

/** Fields the API returns. */
export function readableFields(resource: ResourceModel): FieldModel[] {
  return resource.fields.filter((f) => !f.writeOnly);
}

/**
 * The fields one operation's body accepts: those its request body in the
 * spec declares (spec serving), else every writable field.
 */
export function inputFields(resource: ResourceModel, kind: 'create' | 'update' | 'patch'): FieldModel[] {
  const body = resource.served?.bodies?.[kind];
  // A spec's request body says itself what it takes, readOnly in the answers or not.
  return body ? resource.fields.filter((f) => body.properties.includes(f.name)) : writableFields(resource);
}

/** The fields some request body can set (the data layer writes only these). */
export function settableFields(resource: ResourceModel): FieldModel[] {
  const kinds = (['create', 'update', 'patch'] as const).filter((k) => resource.operations[k]);
  const names = new Set(kinds.flatMap((k) => inputFields(resource, k).map((f) => f.name)));
  return kinds.length === 0 ? writableFields(resource) : resource.fields.filter((f) => names.has(f.name));
}

/**
 * The schema request bodies give a JSON field where it differs from the answers' (resend's `to`,
 * listmonk's list of ids): the create's, else the update's or the patch's; the answers' otherwise.
 */
export function inputJsonSchema(
  resource: ResourceModel,
  field: FieldModel,
): Record<string, unknown> | undefined {
  const bodies = resource.served?.bodies;
  return (
    bodies?.create?.schemas?.[field.name] ??
    bodies?.update?.schemas?.[field.name] ??
    bodies?.patch?.schemas?.[field.name] ??
    field.jsonSchema
  );
}

/** Whether a field must be in a body: as the spec's request body says, else as the field is. */
export function inputRequired(
  resource: ResourceModel,
  kind: 'create' | 'update',
  field: FieldModel,
): boolean {
  const body = resource.served?.bodies?.[kind];
  return body ? body.required.includes(field.name) : field.required;
}

/**
 * The body of POST (and PUT, `kind: 'update'`): the fields its request body
 * declares; unknown properties are refused (400) — tenon's choice where the
 * spec leaves them open — and required ones enforced.
 */
export function createSchema(resource: ResourceModel, kind: 'create' | 'update' = 'create'): Schema {
  const fields = inputFields(resource, kind);
  const key = keyProperty(resource, kind);
  // Timestamps the body declares, and properties of a type the column cannot hold, are accepted
  // and not stored (ServedBody.ignored).
  const properties: Schema = {
    ...resource.served?.bodies?.[kind]?.ignored,
    ...(key ? { [key.name]: key.schema } : {}),
  };
  const own = resource.served?.bodies?.[kind]?.schemas ?? {};
  for (const f of fields) {
    const value = valueSchema(f);
    const s = own[f.name] ? { ...own[f.name] } : f.nullable ? nullable(value) : value;
    if (f.default !== undefined) s.default = f.default;
    properties[f.name] = describe(f, s);
  }
  const required = [
    ...(key?.required ? [key.name] : []),
    ...fields.filter((f) => inputRequired(resource, kind, f)).map((f) => f.name),
  ];
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    ...(required.length ? { required } : {}),
    ...bodyCounts(resource, kind),
    ...branchRequired(resource, Object.keys(properties)),
  };
}

/**
 * A union resource's body holds what the branch its discriminator names requires
 * (a beverage its volume, a dessert its calories): one `if`/`then` per branch.
 */
function branchRequired(resource: ResourceModel, accepted: string[]): Schema {
  const union = resource.union;
  if (!union || !accepted.includes(union.property)) return {};
  const rules = union.branches
    .map((b) => ({ ...b, required: b.required.filter((n) => accepted.includes(n)) }))
    .filter((b) => b.required.length > 0)
    .map((b) => ({
      if: { properties: { [union.property]: { enum: b.values } }, required: [union.property] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited
      then: { required: b.required },
    }));
  return rules.length > 0 ? { allOf: rules } : {};
}

function bodyCounts(resource: ResourceModel, kind: 'create' | 'update' | 'patch'): Schema {
  const body = resource.served?.bodies?.[kind];
  return {
    ...(body?.minProperties !== undefined ? { minProperties: body.minProperties } : {}),
    ...(body?.maxProperties !== undefined ? { maxProperties: body.maxProperties } : {}),
  };
}

/** The body of PATCH: its fields, none required (unless the spec's patch body says so), no defaults. */
export function patchSchema(resource: ResourceModel): Schema {
  const key = keyProperty(resource, 'patch');
  const properties: Schema = {
    ...resource.served?.bodies?.patch?.ignored,
    ...(key ? { [key.name]: key.schema } : {}),
  };
  const fields = inputFields(resource, 'patch');
  const own = resource.served?.bodies?.patch?.schemas ?? {};
  for (const f of fields) {
    const value = valueSchema(f);
    properties[f.name] = describe(f, own[f.name] ? { ...own[f.name] } : f.nullable ? nullable(value) : value);
  }
  const body = resource.served?.bodies?.patch;
  const required = body ? body.required : [];
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    ...(required.length ? { required } : {}),
    ...bodyCounts(resource, 'patch'),
  };
}

/** The schema of the id path parameter. */
export function idSchema(resource: ResourceModel): Schema {
  if (resource.idKind === 'uuid') return { type: 'string', format: 'uuid' };
  if (resource.idKind === 'text')
    return resource.idPattern
      ? { type: 'string', minLength: 1, maxLength: 255, pattern: resource.idPattern }
      : { type: 'string', minLength: 1, maxLength: 255 };
  return { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER };
}

/** The property an embedded relation appears under: `categoryId` → `category`. */
export function relationName(field: FieldModel): string {
  return field.name.replace(/_?[iI]d$/, '');
}

/** The relations of a resource that can be embedded with `?include=`. */
export function includableRelations(resource: ResourceModel): FieldModel[] {
  const names = new Set(resource.fields.map((f) => f.name));
  return resource.fields.filter(
    (f) => f.ref && !f.writeOnly && relationName(f) !== f.name && !names.has(relationName(f)),
  );
}

/** The item as returned (serialization schema): system fields, readable fields, embeddable relations. */
export function itemSchema(resource: ResourceModel, all: readonly ResourceModel[], depth = 0): Schema {
  const properties: Schema = { [resource.idName ?? 'id']: idSchema(resource) };
  for (const f of readableFields(resource)) {
    const value = valueSchema(f);
    properties[f.name] = describe(f, columnNullable(f) ? nullable(value) : value);
  }
  // Serializing through this schema is what keeps a timestamp the spec does not declare out of answers.
  const hidden = new Set(resource.unanswered ?? []);
  for (const name of [resource.createdAtName, resource.updatedAtName])
    if (!hidden.has(name)) properties[name] = { type: 'string', format: 'date-time' };
  if (depth === 0) {
    for (const f of includableRelations(resource)) {
      const target = all.find((r) => r.name === f.ref)!;
      properties[relationName(f)] = nullable(itemSchema(target, all, 1));
    }
  }
  return { type: 'object', properties };
}

/** Filter parameter names of a resource: `status`, `price.gte`, `price.lte`. */
export function filterParameters(
  resource: ResourceModel,
): { name: string; field: FieldModel; op: 'eq' | 'gte' | 'lte' }[] {
  const out: { name: string; field: FieldModel; op: 'eq' | 'gte' | 'lte' }[] = [];
  for (const f of resource.fields) {
    if (!f.filterable || f.writeOnly) continue;
    out.push({ name: f.name, field: f, op: 'eq' });
    if (ORDERED_KINDS.has(f.kind)) {
      out.push({ name: `${f.name}.gte`, field: f, op: 'gte' });
      out.push({ name: `${f.name}.lte`, field: f, op: 'lte' });
    }
  }
  return out;
}

/** Values accepted by `sort`: `id`, `-id`, `name`, `-name`, … */
export function sortValues(resource: ResourceModel): string[] {
  const keys = [
    'id',
    ...resource.fields.filter((f) => f.sortable && !f.writeOnly).map((f) => f.name),
    resource.createdAtName,
    resource.updatedAtName,
  ];
  return keys.flatMap((k) => [k, `-${k}`]);
}

/** tenon's list parameters whose schema a spec declaring them replaces whole (listQuerySchema). */
const SPEC_ONLY = new Set(['cursor', 'include']);

/**
 * The query string of the list endpoint: tenon's parameters (page, limit,
 * sort, cursor, include, filters) and, with spec serving, every query
 * parameter the spec declares, validated as the spec writes it (a name
 * both know — `limit` — takes the spec's schema, with tenon's bounds where
 * the spec gives none). Unknown parameters are refused (400).
 */
export function listQuerySchema(resource: ResourceModel): Schema {
  const base = tenonListQuery(resource);
  const declared = resource.served?.listQuery ?? [];
  if (declared.length === 0) return base;
  const properties = { ...(base.properties as Schema) };
  for (const p of declared) {
    const own = properties[p.name];
    // A declared cursor or include is the spec's alone (karakeep's opaque `cursor: string`): tenon's
    // pattern would refuse values the spec allows. A cursor this API never returned is still a 400.
    // A declared sort of no enum takes what its schema takes: tenon's enum of sort keys would refuse
    // spec-valid values (a value that names no column sorts by id).
    const whole = SPEC_ONLY.has(p.name) || (p.name === 'sort' && openSort(resource));
    const merged: Schema = own && !whole ? { ...(own as Schema), ...p.schema } : { ...p.schema };
    // An exclusive bound of the spec's replaces tenon's inclusive one on its side: a page of
    // `exclusiveMinimum: -1` takes 0, which tenon's `minimum: 1` refused.
    if (p.schema.exclusiveMinimum !== undefined && p.schema.minimum === undefined) delete merged.minimum;
    if (p.schema.exclusiveMaximum !== undefined && p.schema.maximum === undefined) delete merged.maximum;
    properties[p.name] = merged;
  }
  // Pages counting from 0 (list-paging.ts): a page the client leaves out is page 0, not tenon's 1.
  const page = declared.find((p) => p.name === 'page');
  if (page && page.schema.default === undefined && firstPage(resource) === 0)
    properties.page = { ...(properties.page as Schema), default: 0 };
  const required = declared.filter((p) => p.required).map((p) => p.name);
  return { ...base, properties, ...(required.length ? { required } : {}) };
}

/** The declared list parameters tenon does not act on (handed to the service as they are). */
export function unappliedListParameters(resource: ResourceModel): string[] {
  const known = [
    ...Object.keys(tenonListQuery(resource).properties as Schema),
    ...(listOffset(resource) ? ['offset'] : []),
  ];
  return (resource.served?.listQuery ?? []).map((p) => p.name).filter((n) => !known.includes(n));
}

/** The page size of a list without `limit`: the spec's default for it, else tenon's. */
export function defaultLimit(resource: ResourceModel): number {
  const limit = (listQuerySchema(resource).properties as Schema).limit as Schema;
  return typeof limit.default === 'number' ? limit.default : DEFAULT_LIMIT;
}

function tenonListQuery(resource: ResourceModel): Schema {
  const properties: Schema = {
    page: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 },
    limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
    sort: { type: 'string', enum: sortValues(resource) },
    cursor: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' },
  };
  const relations = includableRelations(resource).map(relationName);
  if (relations.length > 0) {
    properties.include = {
      type: 'string',
      maxLength: 200,
      pattern: `^(${relations.join('|')})(,(${relations.join('|')}))*$`,
    };
  }
  for (const p of filterParameters(resource)) {
    const value = valueSchema(p.field);
    // Length limits apply to stored values; a filter may be shorter but not absurdly long.
    delete value.minLength;
    delete value.pattern;
    delete value.default;
    properties[p.name] = value;
  }
  return { type: 'object', additionalProperties: false, properties };
}
