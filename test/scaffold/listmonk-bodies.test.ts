import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { createSchema, patchSchema } from '../../src/scaffold/json-schemas.js';
import { removedAnswerView } from '../../src/scaffold/removed-answer.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

// listmonk: DELETE answers `{ data: boolean }`; the list's request body declares its timestamps.
describe('modelFromOpenApi: listmonk´s DELETE answer and request bodies', () => {
  const { model } = modelFromOpenApi('listmonk-bodies.yaml', fixtures);
  const list = model.resources.find((r) => r.plural === 'lists')!;

  it('answers a DELETE´s envelope-like object as declared, a boolean nothing fixes as true', () => {
    const answer = list.served!.answers.delete!;
    expect(answer.envelope).toBe(false);
    expect(answer.removed).toEqual([{ name: 'data', required: false, value: true }]);
    expect(removedAnswerView(list)).toEqual({ needsRow: false, body: '{ data: true }' });
  });

  it('accepts the timestamps a body declares (as declared, not stored), but not a readOnly one', () => {
    expect(list.served!.bodies!.update!.ignored).toEqual({
      created_at: { type: 'string', format: 'date-time' },
    });
    expect(list.served!.bodies!.update!.properties).toEqual(['name']);
    const put = createSchema(list, 'update');
    expect(put.properties).toHaveProperty('created_at', { type: 'string', format: 'date-time' });
    expect(put.properties).not.toHaveProperty('updated_at');
    expect(put.additionalProperties).toBe(false);
    expect(createSchema(list).properties).toHaveProperty('created_at');
    expect(list.served!.bodies!.patch).toBeUndefined();
    expect(patchSchema(list).properties).not.toHaveProperty('created_at');
  });
});
