import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenon-put-body-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * netbird's users: the create takes `email` and `role`, the PUT `role` and `is_blocked`. The
 * generated tests sent the create's body to the PUT (400: email is not accepted there) and
 * expected the spec's own `role` to be refused on create as mass assignment.
 */
describe('generateProject: tests of a PUT whose body is not the create’s', () => {
  it('send the PUT only what its body declares, and refuse on create only what the create does not take', async () => {
    const dir = join(work, 'users');
    await generateProject({ mode: 'new', dir, from: join(fixtures, 'put-body-differs.yaml'), cwd: work });
    const access = readFileSync(join(dir, 'test/generated/access.test.ts'), 'utf8');
    const massAssignment = /it\.each\((\[[^\]]*\])\)\('refuses %s in the body/.exec(access);
    expect(massAssignment).not.toBeNull();
    const refused = JSON.parse(massAssignment![1]!) as string[];
    expect(refused).not.toContain('role');
    expect(refused).toEqual(expect.arrayContaining(['ownerId', 'createdAt', 'passwordHash']));
    const crud = readFileSync(join(dir, 'test/generated/user.test.ts'), 'utf8');
    expect(crud).toContain(`["role","is_blocked"].includes(k)`);
  });
});
