import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { requestsOf } from '../../scripts/conformance/requests-of.js';
import { loadSpec } from '../../scripts/conformance/spec-reader.js';

const work = mkdtempSync(join(tmpdir(), 'tenon-oracle-choice-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A contact is reached by email or by phone, exactly one (`oneOf`); a note names a user, a team or both (`anyOf`). */
const CONTACT = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    email: { type: 'string', format: 'email' },
    phone: { type: 'string' },
    label: { type: 'string' },
  },
  oneOf: [{ required: ['email'] }, { required: ['phone'] }],
};
const NOTE = {
  allOf: [
    {
      type: 'object',
      properties: { user: { type: 'string' }, team: { type: 'string' }, text: { type: 'string' } },
    },
    { anyOf: [{ required: ['user'] }, { required: ['team'] }] },
  ],
};

function specFile(): string {
  const body = (name: string) => ({
    required: true,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
  });
  const spec = {
    openapi: '3.0.3',
    info: { title: 'Choices', version: '1' },
    components: { schemas: { Contact: CONTACT, Note: NOTE } },
    paths: {
      '/contacts': { post: { requestBody: body('Contact'), responses: { '201': { description: 'made' } } } },
      '/notes': { post: { requestBody: body('Note'), responses: { '201': { description: 'made' } } } },
    },
  };
  const file = join(work, 'choices.yaml');
  writeFileSync(file, stringify(spec));
  return file;
}

describe('the oracle builds bodies of a oneOf/anyOf of required lists from one branch', () => {
  const ajv = new Ajv({ strict: false, validateFormats: false });

  it('sends the full and the minimal body each with exactly one branch of a oneOf whole', () => {
    const spec = loadSpec(specFile());
    const [full, minimal] = requestsOf(spec.operations[0]!, spec, new Map(), 'TOKEN');
    expect(full!.fullBody).toBe(true);
    const fullBody = JSON.parse(full!.body!);
    const minimalBody = JSON.parse(minimal!.body!);
    // The sampler alone gives {name} (no branch) and every property (both branches): neither is valid.
    expect(Object.keys(fullBody).sort()).toEqual(['email', 'label', 'name']);
    expect(Object.keys(minimalBody).sort()).toEqual(['email', 'name']);
    const validate = ajv.compile(CONTACT);
    expect(validate(fullBody), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(minimalBody), JSON.stringify(validate.errors)).toBe(true);
  });

  it('finds the union inside allOf parts; an anyOf keeps the other branches’ properties in the full body', () => {
    const spec = loadSpec(specFile());
    const [full, minimal] = requestsOf(spec.operations[1]!, spec, new Map(), 'TOKEN');
    const fullBody = JSON.parse(full!.body!);
    const minimalBody = JSON.parse(minimal!.body!);
    expect(Object.keys(fullBody).sort()).toEqual(['team', 'text', 'user']);
    expect(Object.keys(minimalBody)).toEqual(['user']);
    const validate = ajv.compile(NOTE);
    expect(validate(fullBody)).toBe(true);
    expect(validate(minimalBody)).toBe(true);
  });
});
