import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('a list whose answer declares minItems (list-min-items.yaml)', () => {
  const { model, warnings } = modelFromOpenApi('list-min-items.yaml', fixtures);

  it('is a handler of its own: an empty table would answer fewer items than the spec allows', () => {
    const notCrud = warnings.filter((w) => w.code === 'operation-not-crud').map((w) => w.message);
    expect(notCrud).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GET \/reports .*at least 1 item \(minItems\)/),
        expect.stringMatching(/^GET \/notes .*at least 2 items \(minItems\)/),
      ]),
    );
    expect(model.resources.find((r) => r.plural === 'reports')?.operations).toMatchObject({
      list: false,
      create: true,
    });
    expect(model.operations.map((o) => `${o.method} ${o.specPath}`)).toEqual(
      expect.arrayContaining(['get /reports', 'get /notes']),
    );
  });
});
