import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { servedDocument } from '../../src/scaffold/openapi-document.js';

const dir = mkdtempSync(join(tmpdir(), 'tenon-conventions-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * With `--conventions` tenon answers its envelope, and `/openapi.json` is rewritten to say so —
 * except for answers the spec already wraps under `data`. A row whose own schema has a `data`
 * column beside properties of its own (formbricks' Response) is no wrapper: its answers are
 * rewritten like any row's.
 */
describe('--conventions: the served document of a row with a data column', () => {
  it('describes the envelope around the row, and keeps an answer the spec wraps itself', () => {
    const row = {
      type: 'object',
      properties: {
        id: { type: 'integer', readOnly: true },
        surveyId: { type: 'string' },
        data: { type: 'object' },
      },
    };
    const spec = join(dir, 'spec.yaml');
    writeFileSync(
      spec,
      JSON.stringify({
        openapi: '3.1.0',
        info: { title: 't', version: '1' },
        paths: {
          '/responses': {
            post: {
              requestBody: { content: { 'application/json': { schema: row } } },
              responses: { '201': { description: 'made', content: { 'application/json': { schema: row } } } },
            },
          },
          '/responses/{id}': {
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
            get: {
              responses: {
                '200': {
                  description: 'one, wrapped by the spec',
                  content: { 'application/json': { schema: { type: 'object', properties: { data: row } } } },
                },
              },
            },
          },
        },
      }),
    );
    const result = modelFromOpenApi('spec.yaml', dir, { conventions: true });
    const doc = servedDocument(result.document, result.model, result.prefixAdded);
    const paths = doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    const create = Object.entries(paths).find(([p]) => p.endsWith('/responses'))![1].post!;
    const created = JSON.stringify(create.responses['201']);
    // The row is wrapped in tenon's envelope: success beside data, the row's own properties under it.
    expect(created).toContain('"success"');
    expect(created).toContain('"surveyId"');
    const read = Object.entries(paths).find(([p]) => p.endsWith('/responses/{id}'))![1].get!;
    // The spec's own { data: row } is left as it is.
    expect(JSON.stringify(read.responses['200'])).not.toContain('"success"');
  });
});
