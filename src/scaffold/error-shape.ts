import type { ErrorValue } from './api-model.js';
import { enumCodeValue } from './error-code-enum.js';
import type { JsonObject } from './openapi-loader.js';

/** One problem with one field, as the generated app's errors carry it. */
export interface SampleDetail {
  in: string;
  field: string;
  message: string;
}

/** An error as the generated app holds it, for samples checked at generation time. */
export interface SampleError {
  status: number;
  code: string;
  message: string;
  details?: SampleDetail[];
}

type Schema = JsonObject;

const URI_FORMATS = new Set(['uri', 'uri-reference', 'iri', 'iri-reference', 'uri-template']);

function typeOf(schema: Schema): string | undefined {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  if (typeof t === 'string') return t;
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

/** `allOf` parts merged into one object schema (properties and required), enough to read a shape. */
function flatten(schema: Schema): Schema {
  if (!Array.isArray(schema.allOf)) return schema;
  const properties: JsonObject = {};
  const required: string[] = [];
  const merged: Schema = { ...schema };
  delete merged.allOf;
  // The schema's own properties (without its allOf, or this would never end), then each part's.
  for (const part of [merged, ...schema.allOf]) {
    if (typeof part !== 'object' || part === null || Array.isArray(part)) continue;
    const flat = flatten(part as Schema);
    // What a part says of the value itself (`code: { allOf: [{ $ref: CodeEnum }] }`, a common way to
    // describe a reference) counts as the property's own.
    for (const key of ['type', 'enum', 'const', 'format', 'items'] as const)
      if (flat[key] !== undefined && merged[key] === undefined) merged[key] = flat[key];
    Object.assign(properties, typeof flat.properties === 'object' ? flat.properties : {});
    if (Array.isArray(flat.required))
      required.push(...flat.required.filter((r): r is string => typeof r === 'string'));
  }
  return { ...merged, properties, required: [...new Set(required)] };
}

/** Whether a string property holds a URI: by its format, or by the names problem details give URIs. */
function isUri(name: string, schema: Schema): boolean {
  if (typeof schema.format === 'string' && URI_FORMATS.has(schema.format)) return true;
  return /^(instance|href|uri|url|link|documentation_url|doc_url)$/i.test(name);
}

/**
 * What a string property of an error (top level, or one detail's when `detail`) carries,
 * from its name; undefined when its meaning is unknown.
 */
function stringValue(name: string, schema: Schema, detail: boolean): ErrorValue | undefined {
  const lower = name.toLowerCase();
  if (Array.isArray(schema.enum)) {
    if (schema.enum.length === 0) return undefined;
    // A code from the spec's own list: the value closest to the app's code (`invalid` for a validation
    // failure, `not_found` for a 404), not always the first.
    return /^(code|errorcode|error_code|reason|type|kind)$/.test(lower)
      ? enumCodeValue(schema.enum)
      : { value: schema.enum[0] };
  }
  if (schema.const !== undefined) return { value: schema.const };
  if (lower === 'type' && (isUri(name, schema) || !detail)) return { value: 'about:blank' };
  if (isUri(name, schema)) return undefined;
  if (schema.format === 'date-time') return { from: 'now' };
  if (detail) {
    if (/^(pointer|json_?pointer)$/.test(lower)) return { detail: 'pointer' };
    if (/^(field|name|param|parameter|property|path|attribute|key|location)$/.test(lower))
      return { detail: 'field' };
    if (lower === 'in') return { detail: 'in' };
    if (/^(message|detail|description|msg|reason|error|title)$/.test(lower)) return { detail: 'message' };
  }
  if (/^(code|errorcode|error_code|reason|type)$/.test(lower)) return { from: 'code' };
  if (lower === 'title') return { from: 'title' };
  if (/message|detail|description|error|msg/.test(lower)) return { from: 'message' };
  return undefined;
}

/** The value of one property, or undefined when nothing of an error fits it. */
function propertyValue(
  name: string,
  raw: Schema,
  detail: boolean,
  required: boolean,
): ErrorValue | undefined {
  const schema = flatten(raw);
  const type = typeOf(schema);
  if (type === 'string' || (type === undefined && !detail)) {
    const v = stringValue(name, schema, detail);
    if (v || !required || isUri(name, schema))
      return v ?? (required && isUri(name, schema) ? { value: 'about:blank' } : undefined);
    return detail ? { detail: 'text' } : { from: 'message' };
  }
  if (type === 'integer' || type === 'number') {
    // The HTTP status is the only number an error has (`code: integer` in petstore, `status` in problem
    // details, `errorCode` in gotify).
    return /^(status|code|status_?code|error_?code|http_?status|http_?code)$/i.test(name)
      ? { from: 'status' }
      : undefined;
  }
  if (type === 'boolean') return required || /^(success|ok)$/i.test(name) ? { value: false } : undefined;
  if (type === 'array') {
    const items =
      typeof schema.items === 'object' && schema.items !== null ? flatten(schema.items as Schema) : {};
    const itemType = typeOf(items);
    // FastAPI's `loc: [string | integer]` in each problem: where it is, as the part and the field's path.
    if (detail && /^(loc|location|path)$/i.test(name) && (itemType === 'string' || pathSegments(items)))
      return { detail: 'loc' };
    // Items limited to listed values (shlink's `invalidElements: [enum of its parameters]`) or a
    // shape cannot hold a message: such a list is left out, or empty where required.
    if (itemType === 'string' && closedString(items)) return required ? { value: [] } : undefined;
    if (itemType === 'string') return { each: detail ? { detail: 'message' } : { detail: 'text' } };
    if (itemType === 'object' && !detail) {
      const item = objectValue(items, true);
      return item ? { each: item } : undefined;
    }
    return required ? { value: [] } : undefined;
  }
  if (type === 'object') return objectValue(schema, detail);
  return undefined;
}

/**
 * The mapping of an error into an object schema: each property whose meaning fits, every
 * required one; undefined when a required property has no fitting value.
 */
function objectValue(raw: Schema, detail: boolean): ErrorValue | undefined {
  const schema = flatten(raw);
  const props =
    typeof schema.properties === 'object' && schema.properties !== null
      ? (schema.properties as JsonObject)
      : {};
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : [],
  );
  const extra = schema.additionalProperties;
  if (Object.keys(props).length === 0 && typeof extra === 'object' && extra !== null && !detail) {
    // `{ errors: { email: ["is invalid"] } }`: the fields are the keys.
    const type = typeOf(flatten(extra as Schema));
    if (type === 'array') return { byField: 'list' };
    if (type === 'string') return { byField: 'one' };
  }
  const object: Record<string, ErrorValue> = {};
  for (const [name, p] of Object.entries(props)) {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) continue;
    const v = propertyValue(name, p as Schema, detail, required.has(name));
    if (v) object[name] = v;
  }
  for (const name of required) if (!(name in object) && name in props) return undefined;
  for (const name of required) if (!(name in props)) return undefined;
  // A schema with a title and no message (`{ type, title }`) carries the message in its title.
  const values = Object.values(object);
  if (!values.some((v) => 'from' in v && v.from === 'message'))
    for (const v of values) if ('from' in v && v.from === 'title') (v as { from: string }).from = 'message';
  return Object.keys(object).length > 0 || Object.keys(props).length === 0 ? { object } : undefined;
}

/**
 * How tenon's errors become bodies of `schema` (a standalone JSON Schema of a declared
 * error answer), or undefined when no mapping fills it: the families recognised are problem
 * details (RFC 9457), `{ error: { code, message } }`, `{ message, errors }`, `{ errors: {
 * <field>: [string] } }`, `{ errors: [{ … }] }`, and a plain string property.
 */
export function deriveErrorValue(schema: Schema): ErrorValue | undefined {
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key];
    if (!Array.isArray(branches)) continue;
    for (const b of branches) {
      if (typeof b !== 'object' || b === null || Array.isArray(b)) continue;
      const v = deriveErrorValue({ ...schema, ...(b as Schema), [key]: undefined } as Schema);
      if (v) return v;
    }
    return undefined;
  }
  const flat = flatten(schema);
  const type = typeOf(flat);
  if (type === 'string') return { from: 'message' };
  if (type === 'object' || type === undefined) return objectValue(flat, false);
  if (type === 'array') return propertyValue('errors', flat, false, true);
  return undefined;
}

function details(error: SampleError): SampleDetail[] {
  return error.details?.length ? error.details : [{ in: '', field: '', message: error.message }];
}

/** The name of a detail's field: the dotted path, the part (`query`) for the whole part. */
export function detailLabel(d: SampleDetail): string {
  return d.field || d.in || 'request';
}

/** Whether a string schema takes only some strings: an enum, a const, a pattern or a format. */
function closedString(schema: Schema): boolean {
  return (
    schema.enum !== undefined ||
    schema.const !== undefined ||
    schema.pattern !== undefined ||
    schema.format !== undefined
  );
}

/** Whether array items are path segments: `anyOf`/`oneOf` of strings and integers (FastAPI's `loc`). */
function pathSegments(items: Schema): boolean {
  const branches = (items.anyOf ?? items.oneOf) as unknown;
  return (
    Array.isArray(branches) &&
    branches.length > 0 &&
    branches.every((b) => ['string', 'integer'].includes(typeOf(flatten(b as Schema)) ?? ''))
  );
}

function detailValue(what: string, d: SampleDetail): unknown {
  if (what === 'loc') return d.in ? [d.in, ...d.field.split('.').filter(Boolean)] : [];
  const pointer = `/${d.field
    .split('.')
    .filter(Boolean)
    .map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/')}`;
  if (what === 'pointer') return d.in === 'body' ? pointer : detailLabel(d);
  if (what === 'field') return detailLabel(d);
  if (what === 'in') return d.in;
  if (what === 'message') return d.message;
  return d.field || d.in ? `${detailLabel(d)}: ${d.message}` : d.message;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  500: 'Internal Server Error',
};

/**
 * The body of `error` under `value` — what the generated app's `formatError` answers,
 * computed here to check the mapping against the spec's schema at generation time.
 */
export function sampleBody(value: ErrorValue, error: SampleError, detail?: SampleDetail): unknown {
  if ('value' in value) return value.value;
  if ('byCode' in value)
    return Object.hasOwn(value.byCode, error.code) ? value.byCode[error.code] : value.otherwise;
  if ('from' in value) {
    if (value.from === 'status') return error.status;
    if (value.from === 'code') return error.code;
    if (value.from === 'title') return TITLES[error.status] ?? 'Error';
    if (value.from === 'now') return new Date(0).toISOString();
    return error.message;
  }
  if ('detail' in value) return detailValue(value.detail, detail ?? details(error)[0]!);
  if ('each' in value) return details(error).map((d) => sampleBody(value.each, error, d));
  if ('byField' in value) {
    const body: Record<string, unknown> = Object.create(null);
    for (const d of details(error)) {
      const key = detailLabel(d);
      if (value.byField === 'one') body[key] ??= d.message;
      else body[key] = [...((body[key] as string[] | undefined) ?? []), d.message];
    }
    return body;
  }
  const body: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value.object)) body[name] = sampleBody(v, error, detail);
  return body;
}
