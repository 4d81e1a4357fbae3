import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { removedAnswerView } from '../../src/scaffold/removed-answer.js';

const spec = fileURLToPath(new URL('./fixtures/wrapped-delete.yaml', import.meta.url));

/** lago's destroyTax answers `{ tax: {…} }`, the key its read, create and update answers wrap the row in. */
describe('a DELETE that answers the removed row under the key of the other answers', () => {
  it('keeps the resource CRUD and answers the removed row wrapped', () => {
    const { model, warnings } = modelFromOpenApi(spec, process.cwd());
    expect(model.operations).toEqual([]);
    expect(warnings.filter((w) => w.code === 'operation-not-crud')).toEqual([]);
    const tax = model.resources[0]!;
    expect(tax.operations).toMatchObject({
      list: true,
      create: true,
      read: true,
      update: true,
      delete: true,
    });
    expect(tax.served?.answers.delete).toEqual({ status: 200, envelope: false, wrap: 'tax' });
    expect(removedAnswerView(tax)).toEqual({ needsRow: true, body: '', wrap: 'tax' });
  });
});
