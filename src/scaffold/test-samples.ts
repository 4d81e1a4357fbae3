import { Ajv2020 } from 'ajv/dist/2020.js';
import { sample } from 'openapi-sampler';
import RandExp from 'randexp';
import type { FieldModel } from './api-model.js';
import type { Schema } from './json-schemas.js';
import { valueSchema } from './json-schemas.js';

/**
 * Sample values for the generated tests, as TypeScript expressions over a
 * sequence number `n`, so every call gives a distinct valid value (unique
 * columns) that satisfies the field's bounds, lengths and pattern.
 */

/**
 * Strings matching a pattern, from randexp: a seeded generator (the same
 * spec gives the same fixtures) with repetitions bounded by the length
 * limits. Undefined when no attempt fits the lengths as well.
 */
export function patternSample(pattern: string, minLength = 0, maxLength = 200): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
  const fits = (c: string) => re.test(c) && c.length >= minLength && c.length <= maxLength;
  const gen = new RandExp(re);
  let seed = 0x2545f491;
  // A small xorshift, so that samples do not depend on Math.random.
  gen.randInt = (from: number, to: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return from + (Math.abs(seed) % (to - from + 1));
  };
  // An unanchored pattern matches inside any string: a prefix of the minimum length still fits.
  for (const max of [Math.max(1, Math.min(8, maxLength)), 16, 64]) {
    gen.max = max;
    for (let attempt = 0; attempt < 20; attempt++) {
      const candidate = gen.gen();
      if (fits(candidate)) return candidate;
      const padded = candidate.padEnd(minLength, candidate.slice(-1) || 'x');
      if (fits(padded)) return padded;
    }
  }
  return undefined;
}

/**
 * A value that satisfies a JSON Schema (for json fields without an example):
 * openapi-sampler's, with strings of a `pattern` made by {@link patternSample}.
 */
export function sampleFromSchema(schema: Schema): unknown {
  const value = sample(withPatternExamples(schema) as Parameters<typeof sample>[0], {
    skipReadOnly: true,
    quiet: true,
  });
  return value === undefined ? null : value;
}

// openapi-sampler prefers `example`s: a pattern's sample is given as the example of its schema.
function withPatternExamples(schema: unknown, depth = 0): unknown {
  if (Array.isArray(schema)) return schema.map((s) => withPatternExamples(s, depth + 1));
  if (typeof schema !== 'object' || schema === null || depth > 20) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema))
    out[k] =
      k === 'enum' || k === 'const' || k === 'example' || k === 'default'
        ? v
        : withPatternExamples(v, depth + 1);
  if (typeof out.pattern === 'string' && out.example === undefined) {
    const min = typeof out.minLength === 'number' ? out.minLength : 0;
    const max = typeof out.maxLength === 'number' ? out.maxLength : 200;
    const made = patternSample(out.pattern, min, max);
    if (made !== undefined) out.example = made;
  }
  return out;
}

/**
 * The sample expression of a field, or undefined when none can be made
 * (a pattern whose strings never fit the length limits, and no example).
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
        const seed =
          typeof example === 'string' && fits(example) ? example : patternSample(field.pattern, lo, hi);
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
    case 'json': {
      const schema = field.jsonSchema ?? {};
      return JSON.stringify(
        example !== undefined && exampleFits(example, schema) ? example : sampleFromSchema(schema),
      );
    }
  }
}

let ajv: Ajv2020 | undefined;

/**
 * Whether a spec's example satisfies its own schema. Specs get examples wrong (a JSON document
 * written as a string for an object property, Typesense's): such an example would make the
 * generated fixtures fail the project's own type check and validation, so a sample is used instead.
 */
export function exampleFits(example: unknown, schema: Schema): boolean {
  ajv ??= new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
  // OpenAPI 3.0's `nullable` is not JSON Schema: a null example of a nullable schema fits.
  if (example === null && (schema as { nullable?: unknown }).nullable === true) return true;
  try {
    return ajv.validate(schema as object, example);
  } catch {
    // A schema Ajv cannot compile (an OpenAPI-only construct): the example cannot be checked.
    return false;
  }
}

/**
 * Varies the digit runs of a sample with `n` (`AB-123` → `AB-${n % 1000, 3 digits}`), or, in a
 * sample without digits, its last run of lower-case letters (`abc` → `n` in base 26, `a` for 0:
 * `^[a-z]{3,12}$` user names), so unique columns with a pattern still get distinct values;
 * undefined when the variants break the pattern.
 */
function variedSample(seed: string, fits: (c: string) => boolean): string | undefined {
  const parts = seed.split(/(\d+)/);
  if (parts.length === 1) return variedLetters(seed, fits);
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

/** {@link variedSample} for a sample without digits: its last run of lower-case letters counts `n` in base 26. */
function variedLetters(seed: string, fits: (c: string) => boolean): string | undefined {
  const runs = [...seed.matchAll(/[a-z]+/g)];
  const last = runs[runs.length - 1];
  if (!last) return undefined;
  // At most 6 letters vary (26^6 values): more would need numbers beyond what tests count to.
  const width = Math.min(last[0].length, 6);
  const at = last.index + last[0].length - width;
  const letters = (n: number) =>
    Array.from({ length: width }, (_, i) =>
      String.fromCharCode(97 + (Math.floor(n / 26 ** (width - 1 - i)) % 26)),
    ).join('');
  const make = (n: number) => seed.slice(0, at) + letters(n) + seed.slice(at + width);
  if (![0, 1, 7, 42, 999, 12345, 987654].every((n) => fits(make(n)))) return undefined;
  const literal = (text: string) => text.replace(/[`\\$]/g, '\\$&');
  const expr = `\${Array.from({ length: ${width} }, (_, i) => String.fromCharCode(97 + (Math.floor(n / 26 ** (${width - 1} - i)) % 26))).join('')}`;
  return `\`${literal(seed.slice(0, at))}${expr}${literal(seed.slice(at + width))}\``;
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
