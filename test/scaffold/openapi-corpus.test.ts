import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accessPolicy } from '../../src/scaffold/access-policy.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { requireCorpus } from '../support/services.js';

const corpus = requireCorpus('openapi');
const specs = corpus.available
  ? [
      ...readdirSync(corpus.dir).filter((f) => /\.ya?ml$/.test(f)),
      ...readdirSync(`${corpus.dir}/repro`).map((f) => `repro/${f}`),
    ]
  : [];
const read = (spec: string) => modelFromOpenApi(spec, corpus.dir);

describe.skipIf(!corpus.available)(`real specs degrade, they are not refused ${corpus.reason}`, () => {
  it.each(specs)(
    '%s gives a model, and every operation is CRUD, a handler, or listed as not generated',
    (spec) => {
      const { model, warnings } = read(spec);
      expect(model.resources.length + model.operations.length).toBeGreaterThan(0);
      for (const w of warnings) expect(w.at).toMatch(/#\//);
      expect(() => accessPolicy(model)).not.toThrow();
    },
  );

  it('does not follow a $ref inside an x- extension, and serves the extension as written', () => {
    for (const spec of ['repro/xref.yaml', 'train-travel.yaml']) {
      const { document } = read(spec);
      expect(document['x-topics']).toEqual([
        expect.objectContaining({ content: { $ref: expect.stringMatching(/getting-started\.md$/) } }),
      ]);
    }
  });

  it('keeps string ids without a format as text keys (resend)', () => {
    const { model } = read('resend.yaml');
    const email = model.resources.find((r) => r.name === 'Email')!;
    expect(email.idKind).toBe('text');
  });

  it('validates a 3.0-style exclusiveMinimum in a 3.1 spec in the 3.1 form, serves the spec as written, and says so', () => {
    const { model, warnings, document } = read('repro/exmin.yaml');
    expect(model.operations[0]!.body).toMatchObject({ properties: { rate: { exclusiveMinimum: 0 } } });
    expect(JSON.stringify(model.operations[0]!.body)).not.toContain('"minimum"');
    // /openapi.json is the user's document: their bounds as they wrote them.
    const at = (node: unknown, ...keys: string[]): unknown =>
      keys.reduce((n, k) => (n as Record<string, unknown>)[k], node);
    const body = 'requestBody content application/json schema properties rate'.split(' ');
    const rate = at(document, 'paths', '/jobs/{jobId}/tune', 'post', ...body);
    expect(rate).toEqual({ type: 'number', minimum: 0, exclusiveMinimum: true });
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'exclusive-bound-converted',
        at: expect.stringMatching(/properties\/rate\/exclusiveMinimum$/),
      }),
    );
  });

  it('lists webhooks as not generated', () => {
    const { warnings } = read('train-travel.yaml');
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'webhook-not-generated',
        at: 'train-travel.yaml#/webhooks/newBooking',
      }),
    );
  });

  it('inherits root-level security, and admin holds every scope (rootsec)', () => {
    const policy = accessPolicy(read('repro/rootsec.yaml').model);
    expect(Object.fromEntries(policy.rules.map((r) => [r.operationId, r.anyOf]))).toEqual({
      listThings: [['read'], ['admin']],
      createThing: [['write'], ['admin']],
    });
    expect(Object.fromEntries(policy.rules.map((r) => [r.operationId, r.roles]))).toEqual({
      listThings: ['admin', 'read'],
      createThing: ['admin', 'write'],
    });
  });

  it('accepts operations with scopes next to operations without (petstore3): those keep the default', () => {
    const policy = accessPolicy(read('petstore3.yaml').model);
    const rule = (id: string) => policy.rules.find((r) => r.operationId === id)!;
    expect(rule('getUserByName')).toMatchObject({ roles: ['admin', 'user'] });
    expect(rule('getUserByName').anyOf).toBeUndefined();
    // [write:pets, read:pets] in one requirement: both are needed; admin holds every scope.
    expect(rule('addPet')).toMatchObject({
      roles: ['admin'],
      anyOf: [['write:pets', 'read:pets'], ['admin']],
    });
    // api_key (no scopes) or both scopes: any signed-in caller.
    expect(rule('getPetById').anyOf).toEqual([[], ['write:pets', 'read:pets'], ['admin']]);
    expect(rule('getPetById').roles).toEqual(policy.roles);
    expect(policy.scopes).toEqual(['write:pets', 'read:pets']);
  });
});
