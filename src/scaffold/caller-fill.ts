/**
 * A JSON object the answers require, no create body takes, and that names
 * who made the row (RealWorld's `Article.author`, a `Profile` of
 * `{ username, bio, image, following }`): only the server knows it, and the
 * one it knows is the authenticated caller. The repository fills it on
 * create from the caller's account (auth_users: its id and e-mail), each
 * other property with a value its schema accepts, so the answers carry what
 * they require instead of leaving it out.
 */
import type { CallerValue } from './api-model.js';

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Names of a property that says who made a row (camelCase or snake_case). */
const OWNER_NAME =
  /^(author|owner|creator|created_?by|user|poster|submitter|publisher|sender|uploader|reporter|requester)$/i;
/** Names of a string that is the caller's public name. */
const HANDLE_NAME = /^(username|user_?name|login|handle|nickname|name|display_?name)$/i;
const EMAIL_NAME = /^e_?mail$/i;
const ID_NAME = /^(id|user_?id)$/i;

/**
 * How each property of `schema` is filled from the caller, or undefined when
 * `name` does not name a row's maker, the schema is not an object naming the
 * caller (a public name or an e-mail), or a property it requires has no value
 * its schema surely accepts.
 */
export function callerFill(
  name: string,
  schema: Schema | undefined,
): Record<string, CallerValue> | undefined {
  if (!OWNER_NAME.test(name) || !isSchema(schema) || !isSchema(schema.properties)) return undefined;
  if (schema.type !== 'object' || schema.oneOf || schema.anyOf || schema.allOf || schema.not)
    return undefined;
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const out: Record<string, CallerValue> = {};
  let names = false;
  for (const [prop, sub] of Object.entries(schema.properties)) {
    if (!isSchema(sub)) return undefined;
    const source = callerSource(prop, sub);
    if (source) {
      out[prop] = source;
      if (source !== 'id') names = true;
      continue;
    }
    if (!required.has(prop)) continue;
    const sample = plainSample(sub);
    if (sample === undefined) return undefined;
    out[prop] = { sample: sample.value };
  }
  return names ? out : undefined;
}

/** The caller's value a property takes by its name and type, when its schema accepts any such value. */
function callerSource(prop: string, schema: Schema): CallerValue | undefined {
  const free = schema.pattern === undefined && schema.enum === undefined && schema.const === undefined;
  if (schema.type === 'string' && free && !schema.minLength && !schema.maxLength) {
    if (EMAIL_NAME.test(prop) && (schema.format === undefined || schema.format === 'email')) return 'email';
    if (HANDLE_NAME.test(prop) && schema.format === undefined) return 'handle';
  }
  if (ID_NAME.test(prop) && schema.type === 'integer' && free && schema.maximum === undefined) return 'id';
  return undefined;
}

/** A value every schema of this plain form accepts: '' / false / 0 / null / [] / {}, else undefined. */
function plainSample(schema: Schema): { value: unknown } | undefined {
  if (schema.enum !== undefined || schema.const !== undefined) {
    const values = Array.isArray(schema.enum) ? schema.enum : [schema.const];
    return values.length > 0 ? { value: values[0] } : undefined;
  }
  if (schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null')))
    return { value: null };
  if (schema.oneOf || schema.anyOf || schema.allOf || schema.not) return undefined;
  switch (schema.type) {
    case 'string':
      return schema.minLength || schema.pattern || schema.format ? undefined : { value: '' };
    case 'boolean':
      return { value: false };
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
      const max = typeof schema.maximum === 'number' ? schema.maximum : min;
      if (schema.exclusiveMinimum !== undefined || schema.exclusiveMaximum !== undefined) return undefined;
      if (max < min || (schema.type === 'integer' && !Number.isInteger(min))) return undefined;
      if (schema.multipleOf !== undefined) return undefined;
      return { value: min };
    }
    case 'array':
      return schema.minItems || schema.contains ? undefined : { value: [] };
    case 'object':
      return (Array.isArray(schema.required) && schema.required.length > 0) || schema.minProperties
        ? undefined
        : { value: {} };
    default:
      return undefined;
  }
}

/** How a caller-filled object is made, in words for the report (`username: the caller's name, bio: ""`). */
export function callerWords(fill: Record<string, CallerValue>): string {
  const words = {
    id: "the caller's id",
    email: "the caller's e-mail",
    handle: "the caller's name (the e-mail's local part)",
  };
  return Object.entries(fill)
    .map(([prop, v]) => `${prop}: ${typeof v === 'string' ? words[v] : JSON.stringify(v.sample)}`)
    .join(', ');
}

/** The object as TypeScript over `caller` (`{ id, email, handle }`): `{ "username": caller.handle, "bio": "" }`. */
export function callerObjectCode(fill: Record<string, CallerValue>): string {
  const parts = Object.entries(fill).map(
    ([prop, v]) =>
      `${JSON.stringify(prop)}: ${typeof v === 'string' ? `caller.${v}` : JSON.stringify(v.sample)}`,
  );
  return `{ ${parts.join(', ')} }`;
}
