import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('create and PUT answers the row cannot give, on a resource with no CRUD read or list (answer-beside-row.yaml)', () => {
  const { model, warnings } = modelFromOpenApi('answer-beside-row.yaml', fixtures);
  const board = model.resources.find((r) => r.name === 'Board')!;

  it('serves them as handlers of their own, never answers that break the spec (board required beside kinds)', () => {
    expect(board.operations).toMatchObject({ create: false, update: false, delete: true });
    expect(model.operations.map((o) => `${o.method} ${o.specPath}`)).toEqual(
      expect.arrayContaining(['post /boards.json', 'put /boards/{id}.json']),
    );
    const notCrud = warnings.filter((w) => w.code === 'operation-not-crud').map((w) => w.message);
    expect(notCrud).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^POST \/boards\.json .*board is required in the answer/),
        expect.stringMatching(/^PUT \/boards\/\{id\}\.json .*board is required in the answer/),
      ]),
    );
  });
});
