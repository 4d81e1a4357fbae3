import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { discriminatedBranches } from '../../src/scaffold/discriminated-branches.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * ory kratos's login body is a `oneOf` whose branches' `method` is a plain string, told apart by
 * the discriminator's mapping only: with the discriminator dropped, a password body fit the
 * passkey branch too (it requires only `method`) and `oneOf` refused every body.
 */
describe('a oneOf with a discriminator, as the generated validators read it', () => {
  const { model } = modelFromOpenApi('form-oneof.yaml', fixtures);
  const body = model.operations.find((o) => o.operationId === 'updateLoginFlow')!.body!;
  const validate = new Ajv({ strict: false }).compile(body);

  it('gives each branch the values that name it: its mapping keys, else its schema name', () => {
    const methods = (body.oneOf as { properties: { method: unknown } }[]).map((b) => b.properties.method);
    expect(methods).toEqual([
      { type: 'string', enum: ['password'] },
      { type: 'string', enum: ['passkey'] },
      { type: 'string', enum: ['withTotp'] },
    ]);
  });

  it('takes a body of the branch its discriminator names and refuses the rest', () => {
    expect(validate({ method: 'password', identifier: 'a', password: 'b' })).toBe(true);
    expect(validate({ method: 'passkey' })).toBe(true);
    expect(validate({ method: 'withTotp', totp_code: 1 })).toBe(true);
    expect(validate({ method: 'password', identifier: 'a' })).toBe(false);
    expect(validate({ method: 'sms' })).toBe(false);
    expect(validate({ identifier: 'a', password: 'b' })).toBe(false);
  });

  it('leaves a branch that declares its own values as written (a const that is not its schema name)', () => {
    const node = {
      discriminator: { propertyName: 'kind' },
      oneOf: [{ $ref: '#/c/Beverage' }, { $ref: '#/c/Dessert' }],
    };
    const beverage = { type: 'object', properties: { kind: { const: 'bev' } } };
    const dessert = { type: 'object', allOf: [{ properties: { kind: { enum: ['sweet'] } } }] };
    const out = { oneOf: [structuredClone(beverage), structuredClone(dessert)] };
    discriminatedBranches(node, out);
    expect(out.oneOf).toEqual([beverage, dessert]);
    // Values of its own and a mapping naming it (kratos's recovery: both branches allow link and code): both hold.
    const recovery = { oneOf: [{ type: 'object', properties: { method: { enum: ['link', 'code'] } } }] };
    discriminatedBranches(
      {
        discriminator: { propertyName: 'method', mapping: { link: '#/c/Link' } },
        oneOf: [{ $ref: '#/c/Link' }],
      },
      recovery,
    );
    expect(recovery.oneOf[0]).toEqual({
      type: 'object',
      properties: { method: { enum: ['link', 'code'] } },
      allOf: [{ required: ['method'], properties: { method: { enum: ['link'] } } }],
    });
    // A branch of parts without a declared value gets it as one more part.
    const parts = { oneOf: [{ allOf: [{ properties: { n: { type: 'integer' } } }] }] };
    discriminatedBranches({ discriminator: { propertyName: 'kind' }, oneOf: [{ $ref: '#/c/Part' }] }, parts);
    expect(parts.oneOf[0]!.allOf).toContainEqual({
      required: ['kind'],
      properties: { kind: { enum: ['Part'] } },
    });
  });
});
