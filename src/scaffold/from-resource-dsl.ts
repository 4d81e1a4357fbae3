import { TenonError } from '../core/errors.js';
import type { ApiModel, FieldKind, FieldModel, ModelWarning, ResourceModel } from './api-model.js';
import { checkModel, linkReferences, type ReferenceCandidate } from './check-model.js';
import { pluralKebab, toCamel, toKebab, toPascal, toSnake } from './naming.js';

/**
 * The resource DSL of `--resources` and `tenon generate resource`:
 *
 * ```
 * resources := resource ("," resource)*
 * resource  := Name ["[" option ("," option)* "]"] "(" [field ("," field)*] ")"
 * option    := "owned" | "table=" name
 * field     := name ["?"] ":" type ["?"] (":" modifier)*
 * type      := string | text | int | bigint | number | decimal | boolean | uuid | email | url
 *            | date | datetime | json | enum(a|b|…) | ref(Name)
 * modifier  := min=N | max=N | unique | index | default=V | pattern=RE | nofilter | nosort | from=oldName
 * ```
 *
 * `?` makes a field optional and nullable. `max` on strings is a length.
 */
const TYPES: Record<string, FieldKind> = {
  string: 'string',
  str: 'string',
  text: 'text',
  int: 'integer',
  integer: 'integer',
  bigint: 'bigint',
  number: 'number',
  float: 'number',
  double: 'number',
  decimal: 'decimal',
  bool: 'boolean',
  boolean: 'boolean',
  uuid: 'uuid',
  email: 'email',
  url: 'uri',
  uri: 'uri',
  date: 'date',
  datetime: 'datetime',
  timestamp: 'datetime',
  json: 'json',
};

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  ws(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
  peek(): string {
    this.ws();
    return this.text[this.pos] ?? '';
  }
  eat(ch: string): boolean {
    if (this.peek() !== ch) return false;
    this.pos++;
    return true;
  }
  expect(ch: string, what: string): void {
    if (!this.eat(ch)) throw this.error(`expected "${ch}" ${what}`);
  }
  /** Reads up to (not including) any of `stops`, honouring nested parentheses. */
  until(stops: string): string {
    this.ws();
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (depth === 0 && stops.includes(ch)) break;
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      this.pos++;
    }
    return this.text.slice(start, this.pos).trim();
  }
  error(message: string): TenonError {
    const near = this.text.slice(this.pos, this.pos + 20);
    return new TenonError(
      'TENON_SCAFFOLD_DSL_INVALID',
      `--resources, column ${this.pos + 1}: ${message}${near ? ` (near "${near}")` : ''}.`,
      {
        hint: "Write resources as Name(field:type, other:type?:max=200), e.g. 'Post(title:string:max=200, status:enum(draft|published)), Comment(post:ref(Post), body:text)'.",
        details: { column: this.pos + 1 },
      },
    );
  }
}

function parseNumber(cursor: Cursor, value: string, what: string): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n)) throw cursor.error(`${what} must be a number, not "${value}"`);
  return n;
}

function parseField(cursor: Cursor, spec: string, resource: string): ReferenceCandidate {
  const parts = spec.split(':').map((p) => p.trim());
  let rawName = parts[0] ?? '';
  let rawType = parts[1] ?? '';
  if (!rawName || !rawType) throw cursor.error(`field "${spec}" needs a name and a type, like title:string`);
  let optional = false;
  if (rawName.endsWith('?')) {
    optional = true;
    rawName = rawName.slice(0, -1);
  }
  if (rawType.endsWith('?')) {
    optional = true;
    rawType = rawType.slice(0, -1);
  }
  const enumMatch = /^enum\((.*)\)$/.exec(rawType);
  const refMatch = /^ref\(\s*([A-Za-z][A-Za-z0-9_]*)\s*\)$/.exec(rawType);
  const kind: FieldKind | undefined = enumMatch ? 'enum' : refMatch ? 'bigint' : TYPES[rawType.toLowerCase()];
  if (!kind)
    throw cursor.error(
      `unknown type "${rawType}" for ${resource}.${rawName} (known: ${Object.keys(TYPES).join(', ')}, enum(a|b), ref(Name))`,
    );
  const name = refMatch && !/Id$/.test(rawName) ? `${toCamel(rawName)}Id` : rawName;
  const field: FieldModel = {
    name,
    column: toSnake(name),
    kind,
    required: !optional,
    nullable: optional,
    unique: false,
    indexed: false,
    filterable: kind !== 'json' && kind !== 'text',
    sortable: kind !== 'json' && kind !== 'text',
  };
  if (enumMatch) {
    const values = enumMatch[1]!
      .split('|')
      .map((v) => v.trim())
      .filter(Boolean);
    if (values.length === 0) throw cursor.error(`enum of ${resource}.${rawName} has no values`);
    if (new Set(values).size !== values.length)
      throw cursor.error(`enum of ${resource}.${rawName} repeats a value`);
    field.enumValues = values;
  }
  const isString = ['string', 'text', 'email', 'uri', 'enum'].includes(kind);
  for (const modifier of parts.slice(2)) {
    const [key = '', ...rest] = modifier.split('=');
    const value = rest.join('=').trim();
    switch (key.trim()) {
      case 'min':
        if (isString) field.minLength = parseNumber(cursor, value, 'min');
        else field.minimum = parseNumber(cursor, value, 'min');
        break;
      case 'max':
        if (isString) field.maxLength = parseNumber(cursor, value, 'max');
        else field.maximum = parseNumber(cursor, value, 'max');
        break;
      case 'unique':
        field.unique = true;
        break;
      case 'index':
        field.indexed = true;
        break;
      case 'nofilter':
        field.filterable = false;
        break;
      case 'nosort':
        field.sortable = false;
        break;
      case 'pattern':
        try {
          new RegExp(value, 'u');
        } catch {
          throw cursor.error(`pattern of ${resource}.${rawName} is not a valid regular expression`);
        }
        field.pattern = value;
        break;
      case 'from':
        field.renamedFrom = value;
        break;
      case 'default':
        field.default =
          kind === 'boolean'
            ? value === 'true'
            : ['integer', 'bigint', 'number', 'decimal'].includes(kind)
              ? parseNumber(cursor, value, 'default')
              : value;
        if (kind === 'enum' && !field.enumValues!.includes(value))
          throw cursor.error(`default "${value}" is not one of the enum values`);
        break;
      default:
        throw cursor.error(
          `unknown modifier "${modifier}" on ${resource}.${rawName} (known: min, max, unique, index, default, pattern, nofilter, nosort, from)`,
        );
    }
  }
  return { field, refExplicit: refMatch !== null, ...(refMatch ? { refHint: refMatch[1]! } : {}) };
}

/** Parses resource definitions into resources (not yet linked or checked). */
export function parseResourceDsl(text: string): {
  resources: ResourceModel[];
  candidates: ReferenceCandidate[][];
} {
  const cursor = new Cursor(text);
  const resources: ResourceModel[] = [];
  const candidates: ReferenceCandidate[][] = [];
  while (cursor.peek() !== '') {
    const start = cursor.pos;
    const rawName = cursor.until('([,');
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(rawName)) throw cursor.error(`"${rawName}" is not a resource name`);
    const name = toPascal(rawName);
    let owned = false;
    let table: string | undefined;
    if (cursor.eat('[')) {
      for (const option of cursor
        .until(']')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean)) {
        if (option === 'owned') owned = true;
        else if (option.startsWith('table=')) table = option.slice('table='.length).trim();
        else throw cursor.error(`unknown option "${option}" on ${name} (known: owned, table=name)`);
      }
      cursor.expect(']', `after the options of ${name}`);
    }
    cursor.expect('(', `after the resource name ${name}`);
    const fields: ReferenceCandidate[] = [];
    while (cursor.peek() !== ')') {
      if (cursor.peek() === '') throw cursor.error(`missing ")" at the end of ${name}`);
      const spec = cursor.until(',)');
      if (spec) fields.push(parseField(cursor, spec, name));
      cursor.eat(',');
    }
    cursor.expect(')', `to close ${name}`);
    const plural = pluralKebab(name);
    resources.push({
      name,
      camel: toCamel(name),
      kebab: toKebab(name),
      plural,
      table: table ?? toSnake(plural),
      idKind: 'bigint',
      createdAtName: 'createdAt',
      updatedAtName: 'updatedAt',
      fields: fields.map((f) => f.field),
      owned,
      indexes: [],
      operations: { list: true, create: true, read: true, update: true, patch: true, delete: true },
      source: `--resources column ${start + 1} (${name})`,
    });
    candidates.push(fields);
    if (!cursor.eat(',') && cursor.peek() !== '') throw cursor.error('expected "," between resources');
  }
  if (resources.length === 0) throw cursor.error('no resources');
  return { resources, candidates };
}

/**
 * Builds the model from the resource DSL: every resource gets the six CRUD
 * operations; `ref(Name)` fields become foreign keys named `<field>Id`.
 *
 * @throws TenonError `TENON_SCAFFOLD_DSL_INVALID`, `TENON_SCAFFOLD_NAME_INVALID`
 */
export function modelFromResourceDsl(
  text: string,
  title = 'API',
  existing: ResourceModel[] = [],
): { model: ApiModel; warnings: ModelWarning[] } {
  const warnings: ModelWarning[] = [];
  const parsed = parseResourceDsl(text);
  const resources = [...existing, ...parsed.resources];
  linkReferences(resources, [...existing.map(() => []), ...parsed.candidates], warnings);
  const model: ApiModel = { title, version: '1.0.0', resources, operations: [] };
  checkModel(model, warnings);
  return { model, warnings };
}
