import { TenonError } from '../core/errors.js';
import { discriminatedBranches } from './discriminated-branches.js';
import {
  child,
  isObject,
  type Json,
  type JsonObject,
  type Located,
  type SpecFiles,
} from './openapi-loader.js';

/** A schema with `$ref`s at its top followed, `allOf` merged and nullability pulled out. */
export interface NormalizedSchema {
  schema: JsonObject;
  nullable: boolean;
  loc: Located;
  /** Component name when the schema was reached through a `$ref`. */
  refName?: string;
  /** Where each merged property came from (JSON pointer), for error messages. */
  propertyLocations: Record<string, Located>;
}

const PRIMITIVES = new Set(['string', 'integer', 'number', 'boolean', 'object', 'array', 'null']);

function unsupported(files: SpecFiles, loc: Located, what: string, hint: string): TenonError {
  return new TenonError('TENON_SCAFFOLD_SPEC_UNSUPPORTED', `${files.where(loc)}: ${what}`, {
    hint,
    details: { pointer: loc.pointer, file: loc.file },
  });
}

function invalid(files: SpecFiles, loc: Located, what: string, hint: string): TenonError {
  return new TenonError('TENON_SCAFFOLD_SPEC_INVALID', `${files.where(loc)}: ${what}`, {
    hint,
    details: { pointer: loc.pointer, file: loc.file },
  });
}

/** True for `{ type: 'null' }` (3.1) or `{ enum: [null] }`. */
function isNullSchema(node: Json): boolean {
  return (
    isObject(node) &&
    (node.type === 'null' || (Array.isArray(node.enum) && node.enum.length === 1 && node.enum[0] === null))
  );
}

/** Keywords whose largest value in any `allOf` part binds: a value must meet every part. */
const LOWER_BOUNDS = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties']);
/** Keywords whose smallest value binds. */
const UPPER_BOUNDS = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties']);

/**
 * One keyword of two `allOf` parts merged as JSON Schema reads them, where one schema can say it:
 * an `enum` is the values both allow (netbird's `ResourceType`: the second part's enum was dropped),
 * a bound the tighter one. Other keywords keep the first part's value. Two enums with no value in
 * common (a spec no value satisfies) keep the first part's, so the property stays usable.
 */
function narrowed(key: string, first: Json, second: Json): Json {
  if (key === 'enum' && Array.isArray(first) && Array.isArray(second)) {
    const both = first.filter((v) => second.some((w) => JSON.stringify(w) === JSON.stringify(v)));
    return both.length > 0 ? both : first;
  }
  if (typeof first === 'number' && typeof second === 'number') {
    if (LOWER_BOUNDS.has(key)) return Math.max(first, second);
    if (UPPER_BOUNDS.has(key)) return Math.min(first, second);
  }
  return first;
}

/**
 * Normalizes a schema: follows `$ref`, merges `allOf` (properties, required,
 * and the first value of every other keyword), turns `nullable: true`,
 * `type: [X, 'null']` and `anyOf/oneOf: [X, {type: 'null'}]` into
 * `nullable`. Other `oneOf`/`anyOf` are left in place for the caller.
 */
export function normalizeSchema(files: SpecFiles, start: Located): NormalizedSchema {
  const loc = files.deref(start);
  if (typeof loc.node === 'boolean') {
    return { schema: {}, nullable: loc.node, loc, propertyLocations: {} };
  }
  if (!isObject(loc.node))
    throw invalid(files, loc, 'a schema must be an object.', 'Write a Schema Object here.');
  const node = loc.node;
  const refName = loc.refName ?? start.refName;
  let nullable = node.nullable === true;
  let schema: JsonObject = { ...node };
  const propertyLocations: Record<string, Located> = {};
  if (isObject(node.properties)) {
    for (const key of Object.keys(node.properties))
      propertyLocations[key] = {
        node: node.properties[key]!,
        file: loc.file,
        pointer: child(loc.pointer, 'properties', key),
      };
  }

  if (Array.isArray(node.allOf)) {
    delete schema.allOf;
    const merged: JsonObject = {};
    const required = new Set<string>();
    const properties: JsonObject = {};
    const parts: NormalizedSchema[] = node.allOf.map((part, i) =>
      normalizeSchema(files, { node: part, file: loc.file, pointer: child(loc.pointer, 'allOf', i) }),
    );
    for (const part of [...parts, { schema, nullable, loc, propertyLocations: { ...propertyLocations } }]) {
      if (part.schema.oneOf || part.schema.anyOf) {
        throw unsupported(
          files,
          part.loc,
          'oneOf/anyOf inside allOf cannot be merged into one object.',
          'Merge the alternatives into one object schema, or move them into a property (stored as JSON).',
        );
      }
      for (const [key, value] of Object.entries(part.schema)) {
        if (key === 'properties' && isObject(value)) Object.assign(properties, value);
        else if (key === 'required' && Array.isArray(value)) for (const r of value) required.add(String(r));
        else if (
          key === 'type' &&
          merged.type !== undefined &&
          JSON.stringify(merged.type) !== JSON.stringify(value)
        ) {
          throw invalid(
            files,
            part.loc,
            `allOf parts disagree on type (${JSON.stringify(merged.type)} and ${JSON.stringify(value)}).`,
            'Give every allOf part the same type.',
          );
        } else if (key in merged) merged[key] = narrowed(key, merged[key]!, value);
        else merged[key] = value;
      }
      Object.assign(propertyLocations, part.propertyLocations);
      // All parts must allow null for the merge to be nullable; a nullable part alone does not count.
    }
    nullable = nullable || parts.every((p) => p.nullable);
    if (Object.keys(properties).length > 0) {
      merged.properties = properties;
      if (merged.type === undefined) merged.type = 'object';
    }
    if (required.size > 0) merged.required = [...required];
    schema = merged;
  }

  for (const key of ['anyOf', 'oneOf'] as const) {
    const alternatives = schema[key];
    if (Array.isArray(alternatives) && alternatives.some(isNullSchema)) {
      const rest = alternatives.filter((a) => !isNullSchema(a));
      if (rest.length === 1) {
        const index = alternatives.indexOf(rest[0]!);
        const inner = normalizeSchema(files, {
          node: rest[0]!,
          file: loc.file,
          pointer: child(loc.pointer, key, index),
        });
        const { [key]: _drop, ...others } = schema;
        return {
          ...inner,
          schema: { ...inner.schema, ...others },
          nullable: true,
          refName: inner.refName ?? refName,
        };
      }
      schema = { ...schema, [key]: rest };
      nullable = true;
    }
  }

  if (Array.isArray(schema.type)) {
    const types = schema.type.map(String);
    for (const t of types) if (!PRIMITIVES.has(t)) throw badType(files, loc, t);
    if (types.includes('null')) nullable = true;
    const rest = types.filter((t) => t !== 'null');
    schema.type = rest.length === 1 ? rest[0]! : rest;
  } else if (schema.type !== undefined) {
    if (typeof schema.type !== 'string' || !PRIMITIVES.has(schema.type))
      throw badType(files, loc, String(schema.type));
    if (schema.type === 'null') nullable = true;
  }
  return { schema, nullable, loc, ...(refName ? { refName } : {}), propertyLocations };
}

function badType(files: SpecFiles, loc: Located, type: string): TenonError {
  return invalid(
    files,
    { ...loc, pointer: child(loc.pointer, 'type') },
    `unknown type "${type}".`,
    'Use one of string, integer, number, boolean, object, array, null.',
  );
}

const DROPPED_KEYWORDS = new Set([
  'example',
  'examples',
  'xml',
  'externalDocs',
  'discriminator',
  'nullable',
  'readOnly',
  'writeOnly',
  'deprecated',
  '$schema',
  '$id',
  '$comment',
  'contentMediaType',
  'contentEncoding',
]);

/**
 * How many times one schema may enclose itself in a standalone schema: a recursive schema
 * (`Category.parent: Category`, `children: Category[]`) is unrolled this deep, and the
 * value below is free-form (`{}`: validated as any JSON, serialized as it is).
 */
export const RECURSION_DEPTH = 3;

/** The most schema nodes one standalone schema may inline once a recursion has been entered. */
export const MAX_INLINED_NODES = 5_000;

/** One standalone schema's inlining: how deep a schema may enclose itself, and how many nodes were inlined so far. */
interface InlineContext {
  readonly depth: number;
  count: number;
  /** The schema of a request: a property marked `readOnly` is not required (OpenAPI: required in responses only). */
  readonly request?: boolean;
}

/**
 * A self-contained draft-07 JSON Schema for ajv: every `$ref` inlined,
 * OpenAPI-only keywords and `x-` extensions removed, 3.0's `nullable`
 * written as a type list. A recursive schema — in one file or across files — is
 * unrolled {@link RECURSION_DEPTH} levels deep and free-form below: the generated
 * validators, serializers, types and samples are compiled from inline schemas, where
 * a `$ref` or anchor would be duplicated as the schema is embedded into pages and bodies.
 * With `request`, the schema is a request body's: a required property the spec marks `readOnly`
 * is required in responses only (OpenAPI 3.0 says so; overseerr's `POST /settings/plex` body,
 * `PlexSettings`, requires its readOnly `name` and `machineId`, and every request was refused).
 */
export function toStandaloneSchema(
  files: SpecFiles,
  start: Located,
  { request = false }: { request?: boolean } = {},
): JsonObject {
  // Unrolled RECURSION_DEPTH deep when that fits the budget, else once (the first recurrence free-form).
  for (const depth of [RECURSION_DEPTH, 1]) {
    try {
      return inline(files, start, [], { depth, count: 0, request });
    } catch (error) {
      if (!(error instanceof TenonError && error.details.overBudget) || depth === 1) throw error;
    }
  }
  throw new Error('unreachable');
}

function inline(files: SpecFiles, start: Located, stack: string[], inlined: InlineContext): JsonObject {
  const loc = files.deref(start);
  const key = `${loc.file}#${loc.pointer}`;
  const seen = stack.filter((k) => k === key).length;
  if (seen >= inlined.depth) return {};
  // Schemas that refer to each other in many cycles (spree's Product, Variant, Taxon, Category…)
  // unroll into a tree that grows exponentially with the cycles: past a budget the schema is refused
  // as it was before recursion was unrolled (its operations become handlers), never built until the
  // process runs out of memory.
  // (Once: any node counts, for the whole unrolled tree is what failed to fit.)
  if (++inlined.count > MAX_INLINED_NODES && (seen > 0 || inlined.depth === 1))
    throw new TenonError(
      'TENON_SCAFFOLD_SPEC_UNSUPPORTED',
      `${files.where(start)}: the schema refers to itself through other schemas in too many ways to inline (over ${MAX_INLINED_NODES} nodes).`,
      {
        hint: 'Cut a cycle: describe a back-reference by its id, or store it as a free-form object (type: object).',
        details: { pointer: start.pointer, file: start.file, overBudget: true },
      },
    );
  const inner = [...stack, key];
  if (typeof loc.node === 'boolean') return loc.node ? {} : { not: {} };
  if (!isObject(loc.node))
    throw invalid(files, loc, 'a schema must be an object.', 'Write a Schema Object here.');
  const out: JsonObject = {};
  for (const [k, value] of Object.entries(loc.node)) {
    if (DROPPED_KEYWORDS.has(k) || k.startsWith('x-')) continue;
    const at = (...tokens: (string | number)[]): Located => ({
      node: null,
      file: loc.file,
      pointer: child(loc.pointer, k, ...tokens),
    });
    if (k === 'properties' || k === 'patternProperties' || k === '$defs' || k === 'definitions') {
      if (!isObject(value)) continue;
      const props: JsonObject = {};
      for (const [name, sub] of Object.entries(value))
        props[name] = inline(files, { ...at(name), node: sub }, inner, inlined);
      out[k] = props;
    } else if (
      [
        'items',
        'additionalProperties',
        'not',
        'contains',
        'propertyNames',
        'additionalItems',
        'if',
        'then',
        'else',
        'unevaluatedProperties',
        'unevaluatedItems',
      ].includes(k) &&
      (isObject(value) || typeof value === 'boolean')
    ) {
      out[k] = typeof value === 'boolean' ? value : inline(files, { ...at(), node: value }, inner, inlined);
    } else if (['allOf', 'anyOf', 'oneOf', 'prefixItems'].includes(k) && Array.isArray(value)) {
      out[k] = value.map((sub, i) => inline(files, { ...at(i), node: sub }, inner, inlined));
    } else if (k === 'type' && typeof value === 'string' && !PRIMITIVES.has(value)) {
      throw badType(files, loc, value);
    } else {
      out[k] = value;
    }
  }
  // The generated validators are draft-07: 3.0's `minimum: 0, exclusiveMinimum: true` becomes `exclusiveMinimum: 0`.
  for (const [key, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[key] !== 'boolean') continue;
    if (out[key] === true && typeof out[bound] === 'number') {
      out[key] = out[bound];
      delete out[bound];
    } else delete out[key];
  }
  if (inlined.request && Array.isArray(out.required) && isObject(loc.node.properties)) {
    const properties = loc.node.properties;
    const readOnly = (name: string) => {
      if (!(name in properties)) return false;
      const prop = files.deref({
        node: properties[name] ?? null,
        file: loc.file,
        pointer: child(loc.pointer, 'properties', name),
      });
      return isObject(prop.node) && prop.node.readOnly === true;
    };
    out.required = out.required.filter((name) => typeof name !== 'string' || !readOnly(name));
    if ((out.required as unknown[]).length === 0) delete out.required;
  }
  // The branches of a discriminated union, told apart by the discriminator's values (dropped above).
  discriminatedBranches(loc.node, out);
  if (loc.node.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}
