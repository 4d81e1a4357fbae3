import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import fastJson from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { createSchema, itemSchema } from '../../src/scaffold/json-schemas.js';
import { serializationSchema } from '../../src/scaffold/serialization-schema.js';

/**
 * A resource whose schema is a discriminated `oneOf` of object branches, in
 * Redocly's multi-file cafe style (fixture `cafe/`: `MenuItem: oneOf [Beverage,
 * Dessert]`, discriminator `category`, each branch `allOf [own part,
 * MenuBaseItem]`): one table with a column for every branch's property.
 */
const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url));

describe('a discriminated oneOf resource', () => {
  const { model, warnings, document } = modelFromOpenApi('cafe/openapi.yaml', fixtures);
  const menu = model.resources.find((r) => r.plural === 'menu')!;

  it('is CRUD, its table the union of the branches’ properties, and says so', () => {
    expect(menu).toBeDefined();
    expect(model.operations).toEqual([]);
    expect(menu.union).toEqual({
      property: 'category',
      branches: [
        { values: ['beverage'], required: ['volume', 'containsCaffeine'] },
        { values: ['dessert'], required: ['calories'] },
      ],
    });
    const byName = Object.fromEntries(menu.fields.map((f) => [f.name, f]));
    // The discriminator: each branch's const, together one enum, required by every branch.
    expect(byName.category).toMatchObject({
      kind: 'enum',
      enumValues: ['beverage', 'dessert'],
      required: true,
    });
    // A property of one branch only is a column a row of the other branch leaves null.
    expect(byName.volume).toMatchObject({ kind: 'number', required: false });
    expect(byName.calories).toMatchObject({ kind: 'number', required: false });
    expect(byName.containsCaffeine).toMatchObject({ kind: 'boolean', required: false });
    // A property of the shared base keeps its schema and is required (every branch requires it).
    expect(byName.name).toMatchObject({ kind: 'string', required: true, maxLength: 50 });
    const warning = warnings.find((w) => w.code === 'union-resource-columns');
    expect(warning?.message).toMatch(/MenuItem is a oneOf of Beverage, Dessert/);
    expect(warning?.hint).toBeTruthy();
    // /openapi.json still serves the union as written.
    expect(JSON.stringify(document)).toContain('"discriminator"');
  });

  it('accepts a body of either branch and refuses what its branch does not allow', () => {
    const validate = new Ajv({ strict: false }).compile(createSchema(menu));
    expect(
      validate({ category: 'beverage', name: 'Latte', price: 4, volume: 0.3, containsCaffeine: true }),
    ).toBe(true);
    expect(validate({ category: 'dessert', name: 'Tart', price: 5, calories: 320 })).toBe(true);
    expect(validate({ category: 'snack', name: 'Chips', price: 2 })).toBe(false);
    expect(validate({ category: 'dessert', name: 'Tart', price: 5, calories: -1 })).toBe(false);
    // What one branch alone requires is checked against the branch the discriminator names.
    expect(validate({ category: 'beverage', name: 'Latte', price: 4 })).toBe(false);
    expect(validate({ category: 'dessert', name: 'Tart', price: 5 })).toBe(false);
    expect(validate({ category: 'dessert', name: 'Tart', price: 5, calories: 1, volume: 0.2 })).toBe(true);
  });

  it('answers a row with its own branch’s properties, none dropped', () => {
    const stringify = fastJson(itemSchema(menu, model.resources) as never);
    const row = {
      id: 'prd_0123456789abcdefghijklmnop',
      category: 'dessert',
      name: 'Tart',
      price: 5,
      calories: 320,
      volume: null,
      containsCaffeine: null,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      updatedAt: new Date('2026-01-01T00:00:00Z'),
    };
    const answer = JSON.parse(stringify(row)) as Record<string, unknown>;
    expect(answer).toMatchObject({ category: 'dessert', name: 'Tart', price: 5, calories: 320 });
  });
});

describe('the serialization schema of an answer', () => {
  const union = {
    anyOf: [
      { type: 'object', properties: { a: { type: 'string' } } },
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } } },
    ],
  };
  const item = {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: ['string', 'null'] },
      picks: { type: 'array', items: union },
      owner: { anyOf: [{ type: 'object', properties: { n: { type: 'string' } } }, { type: 'null' }] },
    },
  };

  it('writes a union-holding JSON property as stored: fast-json-stringify would drop a later branch’s properties', () => {
    const row = { id: 1, name: null, picks: [{ a: 'x', b: 1 }], owner: { n: 'o', extra: 1 } };
    // The trap itself, so this test fails if fast-json-stringify ever stops dropping them.
    expect(JSON.parse(fastJson(item as never)(row)).picks).toEqual([{ a: 'x' }]);
    const out = JSON.parse(fastJson(serializationSchema(item) as never)(row));
    expect(out.picks).toEqual([{ a: 'x', b: 1 }]);
    // A nullable property (anyOf [X, null]) and plain ones keep their schemas: unknown keys still dropped.
    expect(out.owner).toEqual({ n: 'o' });
    expect(out.name).toBeNull();
  });
});
