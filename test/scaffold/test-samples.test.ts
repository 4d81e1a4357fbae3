import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  exampleFits,
  patternSample,
  sampleExpression,
  sampleFromSchema,
} from '../../src/scaffold/test-samples.js';

const PATTERNS = [
  '^[A-Z]{2}-\\d{3}$',
  '^\\+?[1-9]\\d{1,14}$',
  '^[a-z0-9]+(?:-[a-z0-9]+)*$',
  '^\\d{4}-\\d{2}-\\d{2}$',
  '^re_[A-Za-z0-9]{20,40}$',
  '[a-z]',
  '^(?:[01]\\d|2[0-3]):[0-5]\\d$',
];

/** A required, unique string field with a pattern, as the model describes it. */
function uniqueString(name: string, pattern: string): Parameters<typeof sampleExpression>[0] {
  return {
    name,
    column: name,
    kind: 'string',
    required: true,
    nullable: false,
    unique: true,
    indexed: false,
    filterable: true,
    sortable: true,
    pattern,
  };
}

/**
 * Evaluates a generated sample expression as the generated fixtures do: it may read `n`, the
 * sequence number of the fixture.
 */
function evaluateSample(expr: string, n: number): string {
  void n;
  // biome-ignore lint/security/noGlobalEval: the expression is generated TypeScript that is also plain JavaScript
  return eval(`(${expr})`) as string;
}

describe('test samples come from a real sampler', () => {
  it.each(PATTERNS)('a string for the pattern %s matches it, the same every time', (pattern) => {
    const value = patternSample(pattern, 1, 64)!;
    expect(value).toMatch(new RegExp(pattern, 'u'));
    expect(patternSample(pattern, 1, 64)).toBe(value);
  });

  it('keeps to the length limits, and says when none fits', () => {
    const value = patternSample('[a-z]+', 12, 12)!;
    expect(value).toHaveLength(12);
    expect(patternSample('^\\d{5}$', 1, 3)).toBeUndefined();
  });

  it('gives a field with a pattern and no example an expression, never a TODO', () => {
    const expr = sampleExpression(uniqueString('code', '^[A-Z]{3}[0-9]{4}$'), undefined);
    expect(expr).toBeDefined();
    expect(evaluateSample(expr!, 42)).toMatch(/^[A-Z]{3}[0-9]{4}$/);
  });

  it('varies a letters-only pattern with n, so a unique column gets distinct valid values (user names)', () => {
    const field = uniqueString('username', '^[a-z]{3,12}$');
    const expr = sampleExpression(field, undefined)!;
    const values = [0, 1, 2, 25, 26, 10_000, 10_001].map((n) => evaluateSample(expr, n));
    for (const value of values) expect(value).toMatch(/^[a-z]{3,12}$/);
    expect(new Set(values).size).toBe(values.length);
    // A pattern the variants would break keeps its one sample.
    expect(sampleExpression({ ...field, pattern: '^abc$' }, undefined)).toBe('"abc"');
  });

  it('uses a json field’s example only when it fits its schema (a JSON document written as a string does not)', () => {
    const jsonSchema = {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string' }, words: { type: 'array', items: { type: 'string' } } },
    };
    const field = {
      ...uniqueString('stopwords', '.*'),
      kind: 'json' as const,
      pattern: undefined,
      jsonSchema,
    };
    const good = { id: 'countries', words: ['a'] };
    expect(JSON.parse(sampleExpression(field, good)!)).toEqual(good);
    const written = '{"id": "countries", "words": ["a"]}';
    expect(exampleFits(written, jsonSchema)).toBe(false);
    const used = JSON.parse(sampleExpression(field, written)!);
    expect(typeof used).toBe('object');
    expect(exampleFits(used, jsonSchema)).toBe(true);
    expect(exampleFits(null, { type: 'object', nullable: true })).toBe(true);
  });

  it('samples JSON schemas (nested objects, arrays, patterns, formats) into valid values', () => {
    const schema = {
      type: 'object',
      required: ['to', 'tags', 'meta'],
      properties: {
        to: { type: 'array', minItems: 1, items: { type: 'string', format: 'email' } },
        tags: { type: 'array', items: { type: 'string', pattern: '^[a-z_]{3,8}$' } },
        meta: {
          type: 'object',
          required: ['code'],
          properties: { code: { type: 'string', pattern: '^X-\\d{4}$' }, n: { type: 'integer', minimum: 5 } },
        },
        secret: { type: 'string', readOnly: true },
      },
      additionalProperties: false,
    };
    const value = sampleFromSchema(schema);
    const ajv = new Ajv({ strict: false });
    ajv.addFormat('email', /^[^@\s]+@[^@\s]+$/);
    expect(ajv.validate(schema, value), JSON.stringify(ajv.errors)).toBe(true);
  });
});
