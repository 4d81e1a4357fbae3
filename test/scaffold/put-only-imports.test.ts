import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenon-put-only-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * karakeep's `PUT /admin/users/{userId}` is its resource's only operation, and it creates where no
 * row is: nothing answers 404, and the routes file's unused `notFound` import failed the generated
 * project's ESLint.
 */
describe.each(['fastify', 'express'] as const)(
  'generateProject (%s): a resource whose only operation is an upsert',
  (framework) => {
    it('imports no notFound it never throws', async () => {
      const dir = join(work, framework);
      await generateProject({
        mode: 'new',
        dir,
        from: join(fixtures, 'put-only-ack.yaml'),
        framework,
        cwd: work,
      });
      const routes = readFileSync(join(dir, 'src/generated/resources/user.routes.ts'), 'utf8');
      expect(routes).toContain('upsertUser(');
      expect(routes).not.toContain('notFound');
    });
  },
);
