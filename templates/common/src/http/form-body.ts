import { AppError } from './errors.js';
import { parseJsonBody, textProblem } from './request-guards.js';

/** The media type of form bodies. */
export const FORM = 'application/x-www-form-urlencoded';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The part of a JSON Schema that says how text becomes a value. */
export type Schema = {
  type?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
};

/** Whether a branch of a union may be the one a form's fields describe: no field is outside a property's `enum`. */
function mayBe(branch: Schema, fields: Map<string, string[]>): boolean {
  return Object.entries(branch.properties ?? {}).every(
    ([name, property]) =>
      !Array.isArray(property.enum) || !fields.has(name) || property.enum.includes(fields.get(name)![0]),
  );
}

/**
 * The property schemas a form's fields are read by: the schema's own, then those of the
 * `allOf` parts and of the `oneOf`/`anyOf` branches the fields may be (a discriminator's value
 * names kratos's login branch: `method=password`), the first schema of a name winning.
 */
function propertiesOf(schema: Schema | undefined, fields: Map<string, string[]>): Record<string, Schema> {
  if (!schema) return {};
  const found: Record<string, Schema> = { ...schema.properties };
  const branches = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].filter((b) => mayBe(b, fields));
  for (const part of [...(schema.allOf ?? []), ...branches])
    for (const [name, property] of Object.entries(propertiesOf(part, fields)))
      if (!Object.hasOwn(found, name)) found[name] = property;
  return found;
}

function invalid(field: string, message: string): AppError {
  return new AppError(400, 'VALIDATION_FAILED', 'The request is not valid.', [{ in: 'body', field, message }]);
}

/** The JSON type a form value should become, from its property schema (`['integer', 'null']` → integer). */
function typeOf(schema: Schema | undefined): string | undefined {
  const type = schema?.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') as string | undefined;
  return undefined;
}

/** How deep a JSON value in a field (an object property) may nest, as `JSON_MAX_DEPTH` by default. */
const FIELD_JSON_DEPTH = 32;

/**
 * A field's text as its property's type (form fields, multipart parts, XML
 * text): integer, number and boolean from their text, an object as JSON
 * text (OpenAPI's encoding of object properties in forms and multipart
 * bodies); left as text when it is not one (validation then names it).
 */
export function coerceText(text: string, schema: Schema | undefined): unknown {
  const type = typeOf(schema);
  if ((type === 'integer' || type === 'number') && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  if (type === 'object' && text.trimStart().startsWith('{')) return parseJsonBody(text, FIELD_JSON_DEPTH);
  return text;
}

/**
 * Parses an `application/x-www-form-urlencoded` body into the object its
 * schema describes, so it is validated by the same schema as a JSON body
 * would be: each field becomes its property's type (integer, number,
 * boolean; text otherwise), a field given several times is an array when the
 * property is one (`tags=a&tags=b`) and refused otherwise, forbidden names
 * (`__proto__`, `constructor`, `prototype`), NUL characters and lone
 * surrogates are 400. An empty form is the empty object. A union's fields are read by
 * the branch they name (see `propertiesOf`).
 */
export function parseFormBody(text: string, schema: object | undefined): Record<string, unknown> {
  // A form without fields is the empty object (petstore's User, with no required property, sent as a form).
  if (text.trim() === '') return {};
  return fieldsToBody(new URLSearchParams(text), schema);
}

/**
 * The object a body of named text fields describes (a form, the parts of a
 * multipart body), by its schema: as {@link parseFormBody} says.
 */
export function fieldsToBody(entries: Iterable<[string, string]>, schema: object | undefined): Record<string, unknown> {
  const fields = new Map<string, string[]>();
  for (const [key, value] of entries) {
    if (FORBIDDEN_KEYS.has(key)) throw invalid(key, 'is a forbidden property name');
    const problem = textProblem(key) ?? textProblem(value);
    if (problem) throw invalid(key, problem);
    fields.set(key, [...(fields.get(key) ?? []), value]);
  }
  const properties = propertiesOf(schema as Schema | undefined, fields);
  const body: Record<string, unknown> = {};
  for (const [key, values] of fields) {
    const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (typeOf(property) === 'array') body[key] = values.map((v) => coerceText(v, property!.items));
    else if (values.length > 1) throw invalid(key, 'is given more than once');
    else body[key] = coerceText(values[0]!, property);
  }
  return body;
}

/**
 * Whether a request's content type is one of the media types a route
 * declares for its body (`image/*` takes any image type; parameters such as
 * `; charset=utf-8` are ignored).
 */
export function mediaMatches(contentType: string | undefined, declared: readonly string[]): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!type) return false;
  return declared.some((d) => {
    const want = d.toLowerCase();
    if (want === '*/*') return true;
    if (want.endsWith('/*')) return type.startsWith(want.slice(0, -1));
    return type === want;
  });
}
