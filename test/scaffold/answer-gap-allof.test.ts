import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { answerGap } from '../../src/scaffold/answer-gap.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * netbird's Policy: the create's `rules[].sources` is a list of ids, the answer's a list of
 * `{ id }` objects, both inside `allOf` in the array's items. The comparison did not look inside
 * `allOf`, so the resource became CRUD and POST answered 500 from the serializer.
 */
describe('answerGap: allOf at any depth', () => {
  it('compares the merged parts of allOf in array items', () => {
    const body = {
      type: 'array',
      items: {
        allOf: [{ type: 'object', properties: { sources: { type: 'array', items: { type: 'string' } } } }],
      },
    };
    const answer = {
      type: 'array',
      items: {
        allOf: [
          {
            type: 'object',
            properties: {
              sources: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: {} } } },
            },
          },
        ],
      },
    };
    expect(answerGap(body, answer)).toBe('[].sources[].id');
  });

  it('sees what separate parts require', () => {
    const answer = { allOf: [{ required: ['a'] }, { type: 'object', required: ['b'] }] };
    const body = { allOf: [{ type: 'object', required: ['a'] }] };
    expect(answerGap(body, answer)).toBe('b');
    expect(answerGap({ allOf: [{ required: ['a'] }, { required: ['b'] }] }, answer)).toBeUndefined();
  });

  it('makes the policy operations handlers, as without allOf', () => {
    const { model, warnings } = modelFromOpenApi('nested-shape-allof.yaml', fixtures);
    expect(model.resources.map((r) => r.name)).not.toContain('Policy');
    expect(model.operations.map((o) => o.operationId).sort()).toEqual(['createPolicy', 'getPolicy']);
    expect(warnings.filter((w) => w.code === 'operation-not-crud')).toHaveLength(2);
  });
});
