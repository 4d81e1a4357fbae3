import type { FieldModel, ResourceModel } from './api-model.js';
import { keyProperty } from './client-key.js';
import {
  columnNullable,
  filterParameters,
  includableRelations,
  inputJsonSchema,
  inputRequired,
  readableFields,
  relationName,
  type Schema,
  settableFields,
  unappliedListParameters,
} from './json-schemas.js';
import { listOffset } from './list-paging.js';

/** A TypeScript property key: bare when it is an identifier, quoted otherwise. */
export function propKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** The TypeScript type of a JSON Schema (the subset the generator emits and specs commonly use). */
export function schemaToTs(schema: Schema, indent = ''): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ') || 'never';
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const composed = compositionTs(schema, indent);
  if (composed !== undefined) return composed;
  const types = Array.isArray(schema.type)
    ? (schema.type as string[])
    : schema.type
      ? [schema.type as string]
      : [];
  if (types.length === 0) return schema.properties ? objectTs(schema, indent) : 'unknown';
  return types
    .map((t) => {
      switch (t) {
        case 'string':
          return 'string';
        case 'integer':
        case 'number':
          return 'number';
        case 'boolean':
          return 'boolean';
        case 'null':
          return 'null';
        case 'array':
          return schema.items ? `Array<${schemaToTs(schema.items as Schema, indent)}>` : 'unknown[]';
        default:
          return objectTs(schema, indent);
      }
    })
    .join(' | ');
}

/**
 * `anyOf`/`oneOf` (a union) and `allOf` (an intersection) together with the schema's own
 * properties beside them — `{ allOf: [Base], properties: { fee_id } }` is Base and fee_id, and
 * dropping the sibling made fixtures that set `fee_id` fail tsc. Undefined without composition.
 */
function compositionTs(schema: Schema, indent: string): string | undefined {
  const { anyOf, oneOf, allOf, ...rest } = schema;
  const unions = [anyOf, oneOf]
    .filter((list): list is unknown[] => Array.isArray(list))
    .map((list) => ({
      ts: list.map((s) => schemaToTs(s as Schema, indent)).join(' | ') || 'unknown',
      n: list.length,
    }));
  // A part that is itself a union (an enum: `"host" | "subnet"`) needs parentheses inside the
  // intersection: `"a" | "b" & "c"` reads as `"a" | ("b" & "c")` (netbird's fixtures failed tsc).
  const all = Array.isArray(allOf)
    ? allOf.map((s) => schemaToTs(s as Schema, indent)).map((ts) => (topLevelUnion(ts) ? `(${ts})` : ts))
    : [];
  if (unions.length === 0 && all.length === 0 && !Array.isArray(allOf)) return undefined;
  // Only after the check above: an object without composition is converted by the caller, and
  // converting its properties here too doubled the work at every level of nesting (2^depth: a
  // homebox answer nested ~20 objects deep never finished generating).
  const siblings = rest.properties as Record<string, unknown> | undefined;
  const own = siblings && Object.keys(siblings).length > 0 ? [objectTs(rest, indent)] : [];
  // A lone union stays bare; inside an intersection a union needs parentheses.
  if (unions.length === 1 && all.length === 0 && own.length === 0) return unions[0]!.ts;
  const parts = [...unions.map((u) => (u.n > 1 ? `(${u.ts})` : u.ts)), ...all, ...own];
  return parts.join(' & ') || 'unknown';
}

/** Whether a type's text is a union outside any braces, brackets or parentheses (`"a" | "b"`). */
function topLevelUnion(ts: string): boolean {
  let depth = 0;
  for (let i = 0; i < ts.length; i++) {
    const c = ts[i];
    if (c === '"' || c === "'") {
      // A quoted literal may hold any character: skip to its closing quote.
      for (i++; i < ts.length && ts[i] !== c; i++) if (ts[i] === '\\') i++;
    } else if (c === '{' || c === '[' || c === '(' || c === '<') depth++;
    else if (c === '}' || c === ']' || c === ')' || c === '>') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

function objectTs(schema: Schema, indent: string): string {
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const inner = `${indent}  `;
  const lines = Object.entries(props).map(
    ([k, s]) => `${inner}${propKey(k)}${required.has(k) ? '' : '?'}: ${schemaToTs(s, inner)};`,
  );
  // An object that may hold nothing is not `{}` (any non-nullish value, which ESLint refuses).
  if (lines.length === 0)
    return schema.additionalProperties === false ? 'Record<string, never>' : 'Record<string, unknown>';
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function fieldTs(field: FieldModel, json = field.jsonSchema): string {
  switch (field.kind) {
    case 'integer':
    case 'bigint':
    case 'number':
    case 'decimal':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'enum':
      return field.enumValues!.map((v) => JSON.stringify(v)).join(' | ');
    case 'json':
      return schemaToTs(json ?? {}, '  ');
    default:
      return 'string';
  }
}

function doc(field: FieldModel): string {
  return field.description
    ? `  /** ${field.description.replace(/\*\//g, '* /').replace(/\s+/g, ' ').trim()} */\n`
    : '';
}

/**
 * The TypeScript declarations of one resource: the record the data layer
 * returns, the create/replace and patch inputs, and the list query.
 */
export function resourceTypes(resource: ResourceModel, all: readonly ResourceModel[]): string {
  const n = resource.name;
  const id = resource.idKind === 'bigint' ? 'number' : 'string';
  const out: string[] = [];
  out.push(`/** The id of a ${n}. */\nexport type ${n}Id = ${id};\n`);
  const record = [`  id: ${n}Id;`];
  for (const f of readableFields(resource)) {
    // The driver returns timestamptz as Date; the serializer writes it as ISO 8601.
    const type = f.kind === 'datetime' ? 'Date' : fieldTs(f);
    record.push(`${doc(f)}  ${propKey(f.name)}: ${type}${columnNullable(f) ? ' | null' : ''};`);
  }
  record.push(`  ${propKey(resource.createdAtName)}: Date;`, `  ${propKey(resource.updatedAtName)}: Date;`);
  for (const f of includableRelations(resource)) {
    record.push(
      `  /** Embedded with ?include=${relationName(f)}. */\n  ${propKey(relationName(f))}?: ${f.ref} | null;`,
    );
  }
  out.push(
    `/** A ${n} as stored and returned${resource.description ? `: ${resource.description.replace(/\*\//g, '* /').replace(/\s+/g, ' ')}` : ''}. */\nexport interface ${n} {\n${record.join('\n')}\n}\n`,
  );
  const key = (['create', 'update', 'patch'] as const).map((k) => keyProperty(resource, k)).find(Boolean);
  // The key a body may carry (client-key.ts): stored on create, accepted and not stored on update.
  const create = (key ? [`  ${propKey(key.name)}?: ${n}Id;`] : []).concat(
    settableFields(resource).map(
      (f) =>
        `${doc(f)}  ${propKey(f.name)}${inputRequired(resource, 'create', f) ? '' : '?'}: ${fieldTs(f, inputJsonSchema(resource, f))}${f.nullable ? ' | null' : ''};`,
    ),
  );
  out.push(
    `/** The body of POST and PUT /${resource.plural}. */\nexport interface ${n}Create {\n${create.join('\n')}\n}\n`,
  );
  out.push(
    `/** The body of PATCH /${resource.plural}/:id. */\nexport type ${n}Patch = Partial<${n}Create>;\n`,
  );
  const query = [
    '  page?: number;',
    '  limit?: number;',
    '  sort?: string;',
    '  cursor?: string;',
    '  include?: string;',
    ...filterParameters(resource).map((p) => `  ${propKey(p.name)}?: ${fieldTs(p.field)};`),
    // The spec's integer offset, applied by the repository (json-schemas.ts).
    ...(listOffset(resource) ? ['  offset?: number;'] : []),
  ];
  // Parameters the spec declares that tenon does not act on reach the service with their own types.
  for (const name of unappliedListParameters(resource)) {
    const p = resource.served!.listQuery!.find((x) => x.name === name)!;
    query.push(`  ${propKey(name)}${p.required ? '' : '?'}: ${schemaToTs(p.schema, '  ')};`);
  }
  out.push(
    `/** The query string of GET /${resource.plural}. */\nexport interface ${n}ListQuery {\n${query.join('\n')}\n}\n`,
  );
  void all;
  return out.join('\n');
}

/** A property accessor in generated TypeScript: `.name`, or `['price.gte']` for a name that is not an identifier. */
export function propertyAccess(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}
