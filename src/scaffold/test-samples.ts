import type { FieldModel } from './api-model.js';
import type { Schema } from './json-schemas.js';
import { valueSchema } from './json-schemas.js';

/**
 * Sample values for the generated tests, as TypeScript expressions over a
 * sequence number `n`, so every call gives a distinct valid value (unique
 * columns) that satisfies the field's bounds, lengths and pattern.
 */

const PATTERN_CANDIDATES = [
  'abc',
  'ABC',
  'Abc',
  'abc123',
  'a1',
  '1',
  '123',
  'a',
  'A',
  'test',
  'a-b',
  'a_b',
  'AB-123',
  'x@y.z',
  'a.b',
  '2024-01-01',
];

/** A minimal value that satisfies a JSON Schema (for json fields without an example). */
export function sampleFromSchema(schema: Schema, depth = 0): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum.find((v) => v !== null) ?? schema.enum[0];
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list) && list.length > 0) {
      if (key === 'allOf')
        return Object.assign({}, ...list.map((s) => sampleFromSchema(s as Schema, depth + 1)));
      return sampleFromSchema(list[0] as Schema, depth + 1);
    }
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number'
        ? schema.minimum
        : typeof schema.maximum === 'number'
          ? Math.min(0, schema.maximum)
          : 1;
    case 'boolean':
      return true;
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const item = schema.items && depth < 5 ? sampleFromSchema(schema.items as Schema, depth + 1) : 'x';
      return Array.from({ length: min }, () => item);
    }
    case 'null':
      return null;
    default: {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required as string[] | undefined) ?? Object.keys(props));
      const out: Record<string, unknown> = {};
      if (depth < 5)
        for (const [k, s] of Object.entries(props))
          if (required.has(k)) out[k] = sampleFromSchema(s, depth + 1);
      return out;
    }
  }
}

function stringFor(schema: Schema): string {
  switch (schema.format) {
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    case 'email':
      return 'user@example.com';
    case 'date':
      return '2024-01-01';
    case 'date-time':
      return '2024-01-01T00:00:00.000Z';
    case 'uri':
      return 'https://example.com/';
  }
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  if (typeof schema.pattern === 'string') {
    const re = new RegExp(schema.pattern, 'u');
    const found = PATTERN_CANDIDATES.find((c) => re.test(c) && c.length >= min);
    if (found) return found;
  }
  return 'x'.repeat(Math.max(1, min));
}

/**
 * The sample expression of a field, or undefined when none can be made
 * (a pattern no candidate matches and no example): such fields get a
 * clear TODO in the fixtures instead of a guess.
 */
export function sampleExpression(field: FieldModel, example: unknown): string | undefined {
  const lo = field.minLength ?? 0;
  const hi = field.maxLength ?? 200;
  switch (field.kind) {
    case 'string':
    case 'text': {
      if (field.pattern) {
        const re = new RegExp(field.pattern, 'u');
        const fits = (c: string) => re.test(c) && c.length >= lo && c.length <= hi;
        const seed = typeof example === 'string' && fits(example) ? example : PATTERN_CANDIDATES.find(fits);
        if (seed === undefined) return undefined;
        return variedSample(seed, fits) ?? JSON.stringify(seed);
      }
      return `fit(\`${field.name}-\${n}\`, ${lo}, ${hi})`;
    }
    case 'email':
      return `fit(\`u\${n}\`, 1, ${Math.max(1, hi - 12)}) + '@example.com'`;
    case 'uri':
      return `\`https://example.com/\${n}\``;
    case 'uuid':
      return 'randomUUID()';
    case 'date':
      return `new Date(Date.UTC(2024, 0, 1) + (n % 3000) * 86_400_000).toISOString().slice(0, 10)`;
    case 'datetime':
      return `new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString()`;
    case 'enum':
      return `${JSON.stringify(field.enumValues)}[n % ${field.enumValues!.length}] as ${field.enumValues!.map((v) => JSON.stringify(v)).join(' | ')}`;
    case 'boolean':
      return 'n % 2 === 0';
    case 'integer':
    case 'bigint':
    case 'number':
    case 'decimal': {
      const schema = valueSchema(field);
      let min = typeof schema.minimum === 'number' ? schema.minimum : -1_000_000;
      let max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
      if (field.exclusiveMinimum !== undefined) min = Math.max(min, Math.floor(field.exclusiveMinimum) + 1);
      if (field.exclusiveMaximum !== undefined) max = Math.min(max, Math.ceil(field.exclusiveMaximum) - 1);
      if (field.minimum === undefined && field.exclusiveMinimum === undefined) min = Math.max(min, 0);
      if (field.maximum === undefined && field.exclusiveMaximum === undefined) max = Math.min(max, 1_000_000);
      return `inRange(n, ${Math.ceil(min)}, ${Math.floor(max)})`;
    }
    case 'json':
      return JSON.stringify(example !== undefined ? example : sampleFromSchema(field.jsonSchema ?? {}));
  }
}

/**
 * Varies the digit runs of a sample with `n` (`AB-123` → `AB-${n % 1000, 3 digits}`), so unique
 * columns with a pattern still get distinct values; undefined when the variants break the pattern.
 */
function variedSample(seed: string, fits: (c: string) => boolean): string | undefined {
  const parts = seed.split(/(\d+)/);
  if (parts.length === 1) return undefined;
  const make = (n: number) =>
    parts.map((p, i) => (i % 2 === 1 ? String(n % 10 ** p.length).padStart(p.length, '0') : p)).join('');
  if (![1, 7, 42, 999, 12345, 987654].every((n) => fits(make(n)))) return undefined;
  const expr = parts
    .map((p, i) =>
      i % 2 === 1
        ? `\${String(n % ${10 ** p.length}).padStart(${p.length}, '0')}`
        : p.replace(/[`\\$]/g, '\\$&'),
    )
    .join('');
  return `\`${expr}\``;
}

/** A value of the wrong type for a field, for the validation tests (undefined for free-form JSON). */
export function wrongValue(field: FieldModel): string | undefined {
  switch (field.kind) {
    case 'json':
      return undefined;
    case 'integer':
    case 'bigint':
    case 'number':
    case 'decimal':
      return "'not a number'";
    case 'boolean':
      return "'yes'";
    case 'enum':
      return "'not-one-of-the-values'";
    default:
      return '12345';
  }
}

/** How a field's value is written in a query string, as a TypeScript expression over `value`. */
export function queryValue(field: FieldModel): string {
  switch (field.kind) {
    case 'integer':
    case 'bigint':
    case 'number':
    case 'decimal':
    case 'boolean':
      return 'String(value)';
    default:
      return 'encodeURIComponent(String(value))';
  }
}
