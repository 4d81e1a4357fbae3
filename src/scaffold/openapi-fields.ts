import { TenonError } from '../core/errors.js';
import type { FieldKind, FieldModel, ModelWarning, ResourceModel } from './api-model.js';
import { toSnake } from './naming.js';
import { isObject, type JsonObject, type Located, type SpecFiles } from './openapi-loader.js';
import { normalizeSchema, toStandaloneSchema } from './openapi-schema.js';

/** What the resource builder learns about one property. */
export interface PropertyInfo {
  field: FieldModel;
  /** `id`, `createdAt`… that map onto system columns. */
  system?: 'id' | 'createdAt' | 'updatedAt';
  idKind?: 'bigint' | 'uuid' | 'text';
  /** Target named with `x-tenon-ref`, or a guess from the `<resource>Id` naming. */
  refHint?: string;
  refExplicit: boolean;
}

const NUMBER_KEYS = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
] as const;

/** The kinds whose values are strings a column check can measure with `char_length`. */
const LENGTH_KINDS: ReadonlySet<FieldKind> = new Set(['string', 'text', 'email', 'uri', 'enum']);
/** The kinds whose values are numbers a column check can compare. */
const NUMBER_KINDS: ReadonlySet<FieldKind> = new Set(['integer', 'bigint', 'number', 'decimal']);

/** The fields made from an integer without a format: their storage is tenon's choice ({@link integerStorageNotes}). */
const UNFORMATTED_INTEGERS = new WeakSet<FieldModel>();
// Ids the spec types `number`, stored as the integer identity (see integerStorageNotes).
const NUMBER_IDS = new WeakSet<FieldModel>();

/** Property names of secrets a server keeps only as a hash: `password`, `newPassword`, `passphrase`, `clientSecret`. */
const SECRET_NAME = /pass(word|phrase)|secret/i;
/** Fields named like a secret that the spec declares as plain strings (see {@link secretNotes}). */
const PLAIN_SECRETS = new WeakSet<FieldModel>();

const INT4_MIN = -2147483648;
const INT4_MAX = 2147483647;
/** Keywords whose values are values of the property itself (or bounds on them). */
const VALUE_KEYWORDS = [
  'example',
  'default',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
];

/**
 * Whether an integer without a format has a value of its own outside int4: an example, default,
 * const, bound (karakeep's `storageQuota`, example 5000000000) or one of its `examples`. JSON
 * Schema's integer is unbounded; such a property is stored as bigint, or its own example answers 400.
 */
function beyondInt4(schema: JsonObject): boolean {
  const values = [
    ...VALUE_KEYWORDS.map((key) => schema[key]),
    ...(Array.isArray(schema.examples) ? schema.examples : []),
  ];
  return values.some((v) => typeof v === 'number' && (v < INT4_MIN || v > INT4_MAX));
}

function kindOf(schema: JsonObject): FieldKind {
  const type = schema.type;
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  const ext = typeof schema['x-tenon-type'] === 'string' ? schema['x-tenon-type'] : undefined;
  if (ext === 'text' || ext === 'decimal' || ext === 'json') return ext;
  if (schema.oneOf || schema.anyOf || schema.not || Array.isArray(type)) return 'json';
  if (Array.isArray(schema.enum)) {
    if (type === 'string' && schema.enum.every((v) => typeof v === 'string')) return 'enum';
    return 'json';
  }
  switch (type) {
    case 'integer':
      if (format === 'int64') return 'bigint';
      if (format === 'int32') return 'integer';
      return beyondInt4(schema) ? 'bigint' : 'integer';
    case 'number':
      return format === 'decimal' ? 'decimal' : 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
      if (format === 'uuid') return 'uuid';
      if (format === 'email') return 'email';
      if (format === 'date') return 'date';
      if (format === 'date-time') return 'datetime';
      if (format === 'uri' || format === 'url') return 'uri';
      if (format === 'int64') return 'bigint';
      return 'string';
    default:
      return 'json';
  }
}

// Keywords that narrow what a schema admits; a schema with none of them admits any JSON value.
const NARROWING = [
  'type',
  'enum',
  'const',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'properties',
  'items',
  'additionalProperties',
  'patternProperties',
  'required',
  'format',
  'pattern',
];

/** Whether a property schema constrains nothing (`{}`, `{ description }`): it admits any JSON value, null too. */
export function admitsAnyValue(schema: JsonObject): boolean {
  return !NARROWING.some((k) => k in schema);
}

/**
 * Turns one property schema into a field. `required` comes from the
 * containing schema's `required` list.
 */
export function propertyToField(
  files: SpecFiles,
  name: string,
  loc: Located,
  required: boolean,
): PropertyInfo {
  const norm = normalizeSchema(files, loc);
  const schema = norm.schema;
  const kind = kindOf(schema);
  const field: FieldModel = {
    name,
    column: typeof schema['x-tenon-column'] === 'string' ? schema['x-tenon-column'] : toSnake(name),
    kind,
    required,
    // A schema that constrains nothing (`{}`, `{ description }`, langfuse's `input`) admits null, as `true` does.
    nullable: norm.nullable || admitsAnyValue(schema),
    unique: schema['x-tenon-unique'] === true,
    indexed: schema['x-tenon-index'] === true,
    filterable:
      schema['x-tenon-filterable'] !== undefined
        ? schema['x-tenon-filterable'] === true
        : kind !== 'json' && kind !== 'text',
    sortable:
      schema['x-tenon-sortable'] !== undefined
        ? schema['x-tenon-sortable'] === true
        : kind !== 'json' && kind !== 'text',
  };
  if (schema.readOnly === true) field.readOnly = true;
  if (schema.type === 'integer' && schema.format === undefined) UNFORMATTED_INTEGERS.add(field);
  if (schema.writeOnly === true) field.writeOnly = true;
  // A password or secret (`format: password`, or write-only, and named like one) is stored as an
  // argon2id hash, never as written, and never answered.
  if (
    (kind === 'string' || kind === 'text') &&
    (schema.format === 'password' || schema.writeOnly === true) &&
    SECRET_NAME.test(name)
  ) {
    field.secret = true;
    field.writeOnly = true;
    field.filterable = false;
    field.sortable = false;
  } else if ((kind === 'string' || kind === 'text') && SECRET_NAME.test(name)) {
    // Named like a secret but declared plain (petstore3's User.password): kept and answered as the spec
    // says, but not a filter (`?password=` would find whose it is) nor a sort key (ordering every row by
    // it gives the others' values away by bisection), unless the spec opts in.
    PLAIN_SECRETS.add(field);
    if (schema['x-tenon-filterable'] === undefined) field.filterable = false;
    if (schema['x-tenon-sortable'] === undefined) field.sortable = false;
  }
  if (typeof schema.description === 'string') field.description = schema.description;
  if (kind === 'enum') field.enumValues = (schema.enum as string[]).slice();
  for (const key of NUMBER_KEYS) {
    // JSON Schema applies a keyword only to values of its type: `minLength` on an array (netbird's
    // `servers`, where `minItems` was meant) constrains nothing, so it must not become a column check
    // (`char_length(jsonb)` does not exist: the migration failed).
    if (!(key.endsWith('Length') ? LENGTH_KINDS : NUMBER_KINDS).has(kind)) continue;
    const value = schema[key];
    if (typeof value === 'number') field[key] = value;
    // OpenAPI 3.0 writes exclusive bounds as booleans next to minimum/maximum.
    if (typeof value === 'boolean' && value && (key === 'exclusiveMinimum' || key === 'exclusiveMaximum')) {
      const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
      if (typeof schema[bound] === 'number') {
        field[key] = schema[bound] as number;
        delete field[bound];
      }
    }
  }
  if (typeof schema.pattern === 'string') {
    try {
      new RegExp(schema.pattern, 'u');
    } catch {
      throw new TenonError(
        'TENON_SCAFFOLD_SPEC_INVALID',
        `${files.where(norm.loc)}/pattern: "${schema.pattern}" is not a valid regular expression.`,
        {
          hint: 'Patterns are ECMAScript regular expressions.',
          details: { pointer: `${norm.loc.pointer}/pattern` },
        },
      );
    }
    field.pattern = schema.pattern;
  }
  // A `const` (cafe's readOnly `object: const menuItem`, which every answer requires) is the value
  // the server stores when the spec gives no default: the one value the property can have.
  const def = schema.default !== undefined ? schema.default : schema.const;
  if (
    def !== undefined &&
    (def === null || ['string', 'number', 'boolean'].includes(typeof def)) &&
    kind !== 'json'
  ) {
    field.default = def as string | number | boolean | null;
  }
  const example =
    schema.example !== undefined
      ? schema.example
      : Array.isArray(schema.examples)
        ? schema.examples[0]
        : undefined;
  if (example !== undefined) field.example = example;
  if (kind === 'json') field.jsonSchema = toStandaloneSchema(files, loc);
  if (typeof schema['x-tenon-renamed-from'] === 'string') field.renamedFrom = schema['x-tenon-renamed-from'];

  const info: PropertyInfo = { field, refExplicit: false };
  if (name === 'id') {
    info.system = 'id';
    // `type: number` (overseerr's `MediaRequest.id`, example 123): the keys the server makes are
    // integers, which a number allows; the table's key is the integer identity (reported).
    if (kind === 'number') {
      field.kind = 'bigint';
      NUMBER_IDS.add(field);
    }
    // Any other string (no format, or one tenon does not store specially) is a text key.
    info.idKind =
      kind === 'uuid'
        ? 'uuid'
        : kind === 'integer' || kind === 'bigint' || kind === 'number'
          ? 'bigint'
          : schema.type === 'string'
            ? 'text'
            : undefined;
    if (!info.idKind) {
      throw new TenonError(
        'TENON_SCAFFOLD_SPEC_UNSUPPORTED',
        `${files.where(loc)}: the id must be an integer or a string.`,
        {
          hint: 'Use type: integer (format: int64), type: string (format: uuid), or type: string.',
          details: { pointer: loc.pointer },
        },
      );
    }
  } else if (field.column === 'created_at' && (kind === 'datetime' || kind === 'string'))
    info.system = 'createdAt';
  else if (field.column === 'updated_at' && (kind === 'datetime' || kind === 'string'))
    info.system = 'updatedAt';
  const ref = schema['x-tenon-ref'];
  if (typeof ref === 'string') {
    info.refHint = ref;
    info.refExplicit = true;
  } else if (ref !== false && (/^[a-z][A-Za-z0-9]*Id$/.test(name) || /^[a-z][a-z0-9_]*_id$/.test(name))) {
    // `x-tenon-ref: false` keeps a name that reads like a reference a plain column.
    info.refHint = name.replace(/_?[iI]d$/, '');
  }
  if (isObject(schema) && schema.type === 'array' && field.kind !== 'json') field.kind = 'json';
  return info;
}

/**
 * The report's note on how a resource stores its integers without a format, a choice the spec
 * leaves to tenon (JSON Schema's integer is unbounded): int4, whose bounds the API then checks
 * (a larger value answers 400), unless the spec's own values go beyond it; then bigint, within
 * the integers a JSON number keeps exact.
 */
export function integerStorageNotes(resource: ResourceModel): ModelWarning[] {
  const fields = resource.fields.filter((f) => UNFORMATTED_INTEGERS.has(f) && !f.ref && !f.readOnly);
  const int4 = fields.filter((f) => f.kind === 'integer').map((f) => f.name);
  const int8 = fields.filter((f) => f.kind === 'bigint').map((f) => f.name);
  const notes: ModelWarning[] = [];
  if (int8.length > 0)
    notes.push({
      at: resource.source,
      code: 'integer-storage',
      message: `${resource.name}: ${int8.join(', ')} (integer, no format) stored as bigint: the spec's own values go beyond int4; the API takes ±${Number.MAX_SAFE_INTEGER}, the integers a JSON number keeps exact.`,
    });
  if (int4.length > 0)
    notes.push({
      at: resource.source,
      code: 'integer-storage',
      message: `${resource.name}: ${int4.join(', ')} (integer, no format) stored as int4: a value beyond ±2^31 answers 400.`,
      hint: 'Write format: int64 (or an example or bound beyond int4) to store bigint; format: int32 to keep int4 and say so.',
    });
  return notes;
}

/**
 * The report's note on an id the spec types `number` (overseerr's `MediaRequest.id`): the table's
 * key is the bigint identity, so the keys are integers — numbers, as the spec says.
 */
export function numberIdNote(resource: ResourceModel, id: FieldModel | undefined): ModelWarning | undefined {
  if (!id || !NUMBER_IDS.has(id)) return undefined;
  return {
    at: resource.source,
    code: 'integer-storage',
    message: `${resource.name}: ${id.name} (number) stored as a bigint identity: the keys are integers, which the spec's number allows; a key that is not an integer (1.5, in a path or a body) answers 400.`,
    hint: 'Write type: integer for the id to say so in the spec.',
  };
}

/**
 * The report's note on each password or secret a resource stores (see `FieldModel.secret`), and on
 * each property named like one that the spec declares as a plain string (kept as written).
 */
export function secretNotes(resource: ResourceModel): ModelWarning[] {
  return resource.fields.flatMap((f): ModelWarning[] => {
    if (f.secret) {
      return [
        {
          at: resource.source,
          message: `${resource.name}.${f.name} is a password or secret: stored as its argon2id hash (column ${f.column}), never as written, and never answered; check it with argon2's verify() in src/resources/${resource.kebab}.service.ts.`,
        },
      ];
    }
    if (!PLAIN_SECRETS.has(f)) return [];
    return [
      {
        at: resource.source,
        message: `${resource.name}.${f.name} is named like a secret but declared a plain string: stored and answered as written (column ${f.column}), as the spec says; it is no list filter or sort key.`,
        hint: 'Declare it `format: password` or `writeOnly: true` to store only its argon2id hash and never answer it.',
      },
    ];
  });
}
