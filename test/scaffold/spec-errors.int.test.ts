import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';
import { linkGeneratedDependencies } from '../support/generated-deps.js';
import { CHECK_SETUP, projectVitest, scaffoldFixture } from '../support/project-check.js';

/**
 * Errors answer in the schema the spec declares for the operation and status, in both
 * frameworks: a project is generated from `fixtures/spec-errors.yaml` (notes: `{ errors: {
 * body: [string] } }` for 422/404, and createNote declares 422 and no 400, so invalid bodies answer 422; labels: `{ error: { code, message } }` as `default`,
 * its code from the spec's enum;
 * boards: problem details with pointers as `4XX`), and a test written into it sends invalid
 * requests and checks each body, its media type, and that the field is named. The project's
 * own generated tests for the three resources run too (they check errors against the schemas).
 */
const { spec, work } = scaffoldFixture('spec-errors.yaml');

const CHECK = `${CHECK_SETUP}const call = (method: string, url: string, body?: unknown) => app.request(method, url, body, admin.headers);

describe('errors in the schema the spec declares for the operation', () => {
  it('notes: 422 (declared, 400 not) with a list of messages naming the field, and a missing note without details', async () => {
    const res = await call('POST', '/notes', { email: 'not an email' });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ errors: { body: ['email: must match format "email"'] } });
    const missing = await call('GET', '/notes/999999');
    expect(missing.status).toBe(404);
    expect(Object.keys(missing.body)).toEqual(['errors']);
    expect(missing.body.errors.body).toHaveLength(1);
    expect(missing.body.errors.body[0]).toMatch(/not found/i);
  });

  it('labels: 400 (only default declared) with the spec’s closest code and the message under error', async () => {
    const res = await call('POST', '/labels', { name: 'x' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid', message: expect.any(String) } });
  });

  it('scripts: problems keyed by the client’s field names, __proto__ and constructor as plain keys (not a 500)', async () => {
    for (const field of ['__proto__', 'constructor']) {
      const res = await app.request('POST', '/scripts', \`{"name":"a","\${field}":{"x":1}}\`, {
        ...admin.headers,
        'content-type': 'application/json',
      });
      expect(res.status).toBe(422);
      expect(JSON.parse(res.text).errors).toEqual(JSON.parse(\`{"\${field}":["is a forbidden property name"]}\`));
    }
  });

  it('boards: problem details, type a URI, the message never in instance, the field as a pointer', async () => {
    const res = await call('POST', '/boards', { title: 'ab' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: expect.any(String),
      errors: [{ pointer: '/title', detail: expect.stringMatching(/fewer than 3/) }],
    });
  });
});
`;

describe.each(['fastify', 'express'] as const)(
  'spec error schemas in a generated %s project',
  (framework) => {
    it('shape each operation’s errors as the spec declares them, naming the field', async () => {
      const dir = join(work, framework);
      await generateProject({ mode: 'new', dir, from: spec, framework, cwd: work });
      const modules = linkGeneratedDependencies(dir);
      writeFileSync(join(dir, 'test/generated/spec-errors-check.test.ts'), CHECK);
      const result = await projectVitest(dir, modules, [
        'test/generated/spec-errors-check.test.ts',
        'test/generated/note.test.ts',
        'test/generated/label.test.ts',
        'test/generated/board.test.ts',
        // createNote declares 422 and no 400: their validation cases expect 422 there.
        'test/generated/hardening.test.ts',
        'test/generated/idempotency.test.ts',
        'test/generated/access.test.ts',
      ]);
      expect(result, result.output.slice(-4000)).toMatchObject({ code: 0 });
    }, 420_000);
  },
);
