import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * formbricks hub's `GET /v1/taxonomy/runs` answers `{ data: [...] }` with `additionalProperties: false`.
 * It was read as tenon's envelope and answered `{ success, data, meta }`, two properties the spec
 * forbids (the oracle's violation in both frameworks). A closed `data` answer that does not declare
 * `success` and `meta` is a page of the spec's own.
 */
describe('modelFromOpenApi: a closed { data: [...] } list answer', () => {
  it('is answered in the spec´s shape, not in tenon´s envelope', () => {
    const { model } = modelFromOpenApi('closed-data-list.yaml', fixtures);
    const list = model.resources.find((r) => r.name === 'Run')!.served!.answers.list!;
    expect(list.envelope).toBe(false);
    expect(list.page?.values).toEqual([{ name: 'data', from: 'items' }]);
  });

  it('stays the envelope when it is open (the spec leaves room for success and meta)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenon-open-data-'));
    const spec = readFileSync(join(fixtures, 'closed-data-list.yaml'), 'utf8');
    // Only the list answer's object is opened; Run stays closed.
    writeFileSync(
      join(dir, 'open.yaml'),
      spec.replace(/additionalProperties: false\n(\s+)required: \[data\]/, 'required: [data]'),
    );
    const { model } = modelFromOpenApi('open.yaml', dir);
    const list = model.resources.find((r) => r.name === 'Run')!.served!.answers.list!;
    expect(list.envelope).toBe(true);
  });
});
