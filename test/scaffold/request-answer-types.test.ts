import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FieldKind } from '../../src/scaffold/api-model.js';
import { bodyTypeConflict } from '../../src/scaffold/body-type-conflict.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { idReferenceKey } from '../../src/scaffold/id-references.js';
import { inputSample } from '../../src/scaffold/input-sample.js';
import { createSchema } from '../../src/scaffold/json-schemas.js';
import { resourceTypes } from '../../src/scaffold/ts-types.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

// listmonk's campaign: `send_at` is an object on create and a date-time string in the answers;
// `lists` is a list of ids on create and a list of `{ id, name }` in the answers.
describe('modelFromOpenApi: a property the request and the answers type differently', () => {
  const { model, warnings } = modelFromOpenApi('request-answer-types.yaml', fixtures);
  const campaign = model.resources.find((r) => r.plural === 'campaigns')!;

  it('serves the operations as CRUD, saying so once per conflicting property', () => {
    expect(campaign.operations.create).toBeTruthy();
    expect(campaign.operations.update).toBeTruthy();
    const conflicts = warnings.filter((w) => w.code === 'property-type-conflict');
    expect(conflicts).toHaveLength(2);
    const messages = conflicts.map((w) => w.message).join('\n');
    expect(messages).toMatch(/send_at is object in the create body and datetime in the answers/);
    expect(messages).toMatch(/type is any string in the create body and one of regular, optin/);
    expect(conflicts[0]!.hint).toBeTruthy();
    expect(warnings.filter((w) => w.code === 'id-references-embedded')).toHaveLength(1);
  });

  it('validates send_at as the request declares it, and stores it nowhere', () => {
    const body = createSchema(campaign) as { properties: Record<string, { type?: string }> };
    expect(body.properties.send_at?.type).toBe('object');
    expect(campaign.served!.bodies!.create!.properties).not.toContain('send_at');
    expect(campaign.served!.bodies!.update!.ignored).toHaveProperty('send_at');
    // The column keeps the answers' meaning.
    expect(campaign.fields.find((f) => f.name === 'send_at')!.kind).toBe('datetime');
  });

  it('takes lists as ids, stores each as { id }, and types and samples the body as ids', () => {
    const lists = campaign.fields.find((f) => f.name === 'lists')!;
    expect(lists.idReferences).toBe('id');
    const body = createSchema(campaign) as { properties: Record<string, unknown> };
    expect(body.properties.lists).toEqual({ type: 'array', items: { type: 'number' } });
    expect(resourceTypes(campaign, model.resources)).toMatch(
      /interface CampaignCreate \{[^}]*lists\?: Array<number>;/,
    );
    // The answers' sample ([{ id, name }]) is not a valid body: the test sends ids, and does not
    // compare what it sent with the objects answered.
    expect(inputSample(campaign, lists)).toEqual({ expr: '[0]', answered: false });
  });
});

describe('bodyTypeConflict', () => {
  const kind = (k: FieldKind) => ({ kind: k });

  it('names what a body accepts that a column of the kind cannot hold', () => {
    expect(bodyTypeConflict(kind('datetime'), { type: 'object' })).toBe('object');
    expect(bodyTypeConflict(kind('string'), { type: ['integer', 'null'] })).toBe('integer');
    expect(bodyTypeConflict(kind('integer'), { type: 'string' })).toBe('string');
    const choice = { kind: 'enum' as const, enumValues: ['regular', 'optin'] };
    expect(bodyTypeConflict(choice, { type: 'string' })).toBe('any string');
    expect(bodyTypeConflict(choice, { type: 'string', enum: ['regular', 'draft'] })).toBe('"draft" too');
  });

  it('finds none for fitting types, a JSON column or a schema without a type', () => {
    expect(bodyTypeConflict(kind('integer'), { type: 'number' })).toBeUndefined();
    expect(bodyTypeConflict(kind('string'), { type: ['string', 'null'] })).toBeUndefined();
    expect(bodyTypeConflict(kind('json'), { type: 'string' })).toBeUndefined();
    expect(bodyTypeConflict(kind('string'), { oneOf: [{ type: 'object' }] })).toBeUndefined();
    const choice = { kind: 'enum' as const, enumValues: ['regular', 'optin'] };
    expect(bodyTypeConflict(choice, { type: 'string', enum: ['optin'] })).toBeUndefined();
  });
});

describe('idReferenceKey', () => {
  const answer = { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' } } } };

  it('is id for a list of numbers or integers answered as objects with an id', () => {
    expect(idReferenceKey({ type: 'array', items: { type: 'number' } }, answer)).toBe('id');
    expect(idReferenceKey({ type: 'array', items: { type: 'integer' } }, answer)).toBe('id');
  });

  it('is undefined when the ids and the key differ in type, or the answers have no id', () => {
    expect(idReferenceKey({ type: 'array', items: { type: 'string' } }, answer)).toBeUndefined();
    const noId = { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } };
    expect(idReferenceKey({ type: 'array', items: { type: 'integer' } }, noId)).toBeUndefined();
    expect(idReferenceKey({ type: 'array', items: { type: 'object' } }, answer)).toBeUndefined();
  });
});
