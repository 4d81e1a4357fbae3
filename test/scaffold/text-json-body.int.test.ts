import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';
import { linkGeneratedDependencies } from '../support/generated-deps.js';
import { CHECK_SETUP, projectVitest, scaffoldFixture } from '../support/project-check.js';

/**
 * A JSON body whose schema is a string (text-json-body.yaml, Typesense's stemming dictionary
 * import): in a generated project of each framework, the handler gets the JSONL text whether it
 * comes as a JSON string or as the spec's example text (it answered 400 INVALID_JSON), the
 * schema's maxLength still applies, and another media type is still 415; a text/plain upload
 * reaches its handler as a string, an octet-stream one as bytes.
 */
const { spec, work } = scaffoldFixture('text-json-body.yaml');

const HANDLER = `import type { ImportDictionaryInput, ImportDictionaryOutput, OperationContext } from '../generated/operations.js';

export async function importDictionary(input: ImportDictionaryInput, context: OperationContext): Promise<ImportDictionaryOutput> {
  void context;
  return { lines: input.body.split('\\n').filter(Boolean).length };
}
`;

const LINES = `import type { ImportLinesInput, ImportLinesOutput, OperationContext } from '../generated/operations.js';

export async function importLines(input: ImportLinesInput, context: OperationContext): Promise<ImportLinesOutput> {
  void context;
  const text = typeof input.body === 'string';
  const body = typeof input.body === 'string' ? input.body : input.body.toString('utf8');
  return { lines: body.split('\\n').filter(Boolean).length, text };
}
`;

const CHECK = `${CHECK_SETUP}
const jsonl = '{"word": "people", "root": "person"}\\n{"word": "children", "root": "child"}\\n';
const send = (body: string, type = 'application/json') =>
  app.request('POST', '/dictionaries/import?id=plurals', body, { ...admin.headers, 'content-type': type });

it('hands the text to the handler as a JSON string or as the text itself', async () => {
  for (const body of [JSON.stringify(jsonl), jsonl]) {
    const res = await send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ lines: 2 });
  }
  expect((await send(JSON.stringify('x'.repeat(1001)))).status).toBe(400);
  expect((await send(jsonl, 'text/csv')).status).toBe(415);
});

it('hands a text/plain upload over as a string and an octet-stream one as bytes', async () => {
  const upload = (type: string) =>
    app.request('POST', '/lines/import', jsonl, { ...admin.headers, 'content-type': type });
  expect((await upload('text/plain; charset=utf-8')).body).toEqual({ lines: 2, text: true });
  expect((await upload('application/octet-stream')).body).toEqual({ lines: 2, text: false });
  expect((await upload('application/json')).status).toBe(415);
});
`;

describe.each(['fastify', 'express'] as const)(
  'a JSON string body in a generated %s project',
  (framework) => {
    it('reaches its handler as text', async () => {
      const dir = join(work, framework);
      await generateProject({ mode: 'new', dir, from: spec, framework, cwd: work });
      writeFileSync(join(dir, 'src/operations/import-dictionary.ts'), HANDLER);
      writeFileSync(join(dir, 'src/operations/import-lines.ts'), LINES);
      const modules = linkGeneratedDependencies(dir);
      writeFileSync(join(dir, 'test/generated/text-json-check.test.ts'), CHECK);
      const result = await projectVitest(dir, modules, ['test/generated/text-json-check.test.ts']);
      expect({ code: result.code, tail: result.code === 0 ? '' : result.output.slice(-4000) }).toEqual({
        code: 0,
        tail: '',
      });
      expect(result.output).toMatch(/Tests\s+\d+ passed/);
    }, 420_000);
  },
);
