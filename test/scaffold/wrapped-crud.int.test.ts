import { expect } from 'vitest';
import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';
import { runProjectTool } from '../support/project-tool.js';

/**
 * Bodies the spec wraps under a key (`{ note: {…} }`, `{ notes: […], notesCount }`), served as
 * CRUD in both frameworks: a project is generated from `fixtures/wrapped/notes.yaml`, a check
 * written into it sends wrapped bodies and reads wrapped answers in process, and the project's
 * own generated tests (which send and read the same shapes) and its type check pass.
 */
const { spec, work } = scaffoldFixture('wrapped/notes.yaml');

const CHECK = `${CHECK_SETUP}
import type { TestResponse } from './test-app.js';
const call = (method: string, url: string, body?: unknown): Promise<TestResponse> => app.request(method, url, body, admin.headers);

describe('wrapped bodies and answers', () => {
  it('creates from { note }, answers { note: row }, reads, replaces and lists as { notes, notesCount }', async () => {
    const made = await call('POST', '/api/notes', { note: { title: 'one', body: 'b' } });
    expect(made.status).toBe(201);
    expect(Object.keys(made.body)).toEqual(['note']);
    expect(made.body.note).toMatchObject({ title: 'one', body: 'b' });
    const id = made.body.note.id as number;
    expect(made.headers.location).toBe('/api/notes/' + id);
    const read = await call('GET', '/api/notes/' + id);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ note: made.body.note });
    const put = await call('PUT', '/api/notes/' + id, { note: { title: 'two', body: 'c' } });
    expect(put.status).toBe(200);
    expect(put.body.note).toMatchObject({ id, title: 'two', body: 'c' });
    for (let i = 0; i < 4; i++) expect((await call('POST', '/api/notes', { note: { title: 'n' + i } })).status).toBe(201);
    const all = await call('GET', '/api/notes');
    expect(all.status).toBe(200);
    expect(Object.keys(all.body).sort()).toEqual(['notes', 'notesCount']);
    expect(all.body.notesCount).toBe(5);
    expect(all.body.notes).toHaveLength(5);
    // The spec's limit and offset page the list; the count stays the total.
    const page = await call('GET', '/api/notes?limit=2&offset=3&sort=id');
    expect(page.body.notes.map((n: { id: number }) => n.id)).toEqual(all.body.notes.slice(3, 5).map((n: { id: number }) => n.id));
    expect(page.body.notesCount).toBe(5);
  });

  it('validates the wrapped body as the spec declares it, naming the field under the key', async () => {
    const bare = await call('POST', '/api/notes', { title: 'unwrapped' });
    expect(bare.status).toBe(400);
    expect(JSON.stringify(bare.body)).toContain('note');
    const missing = await call('POST', '/api/notes', { note: { body: 'no title' } });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('note.title');
  });

  it('serves the spec as written', async () => {
    const doc = await app.request('GET', '/openapi.json');
    expect(doc.body.paths['/notes'].post.requestBody.content['application/json'].schema.required).toEqual(['note']);
  });
});
`;

checkEachFramework(
  'wrapped CRUD in a generated %s project',
  'sends and answers the spec’s wrapped shapes, and the project’s own tests and type check pass',
  { spec, work },
  {
    name: 'wrapped-check.test.ts',
    source: CHECK,
    tests: [
      // One worker: each file starts its own app on PGlite, and on a loaded machine parallel starts time out a hook.
      '--maxWorkers=1',
      'test/generated/note.test.ts',
      'test/generated/folder.test.ts',
      'test/generated/access.test.ts',
      'test/generated/hardening.test.ts',
      'test/generated/idempotency.test.ts',
    ],
  },
  {
    timeout: 1_200_000,
    afterwards: async ({ dir, modules }) => {
      const typecheck = await runProjectTool(dir, modules, ['typescript/bin/tsc', '--noEmit', '-p', '.']);
      expect({ code: typecheck.code, tail: typecheck.output.slice(-3000) }).toEqual({ code: 0, tail: '' });
    },
  },
);
