import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';

const work = mkdtempSync(join(tmpdir(), 'tenon-slash-collection-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const from = fileURLToPath(new URL('./fixtures/slash-collection.yaml', import.meta.url));

/**
 * FastAPI's shape (`GET /documents/` lists, `GET /documents/{id}` reads): the generated tests built
 * item URLs as the collection path + `/` + key, `/documents//<id>`, and every by-id test answered
 * 404. They now use the item route's own base. The spec's own GET /health/alive and GET /metrics
 * are its operations: /health/alive is not opened to anonymous callers by tenon's probe prefix,
 * and the metrics test expects the spec's operation on the API port, not a 404.
 */
describe('generateProject: a collection path with a trailing slash', async () => {
  const root = join(work, 'fastify');
  await generateProject({ mode: 'new', dir: root, from, cwd: work });
  const read = (path: string) => readFileSync(join(root, path), 'utf8');

  it('builds item URLs from the item route, not the collection path', () => {
    for (const file of [
      'test/generated/access.test.ts',
      'test/generated/note.test.ts',
      'test/generated/hardening.test.ts',
    ])
      expect(read(file), file).not.toContain('/notes//');
    expect(read('test/generated/access.test.ts')).toContain(
      ['url: async (c) => `/notes/', '{(await noteRow(c)).id}`'].join('$'),
    );
    expect(read('test/generated/note.test.ts')).toContain(["call('GET', `/notes/", '{row.id}`)'].join('$'));
  });

  it('opens only tenon´s own probes to anonymous callers', () => {
    const control = read('src/auth/access-control.ts');
    expect(control).toContain(
      "['/health/live', 'probe'],\n  ['/health/ready', 'probe'],\n  ['/openapi.json', 'document'],",
    );
    expect(control).not.toContain("startsWith('/health/')");
    expect(read('src/generated/policy.ts')).toContain('route: "GET /health/alive", roles: ["admin","user"]');
  });

  it('writes no 405 probe on the slashed collection, which is also the item route with an empty key', () => {
    expect(read('test/generated/hardening.test.ts')).not.toContain(
      '405 lists every method of a collection path',
    );
  });
});
