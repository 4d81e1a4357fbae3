import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';
import { linkGeneratedDependencies } from '../support/generated-deps.js';
import { CHECK_SETUP, scaffoldFixture } from '../support/project-check.js';
import { runProjectTool } from '../support/project-tool.js';

/**
 * A password in a create body (`format: password`, `fixtures/secret/members.yaml`) is stored as
 * its argon2id hash and never answered, in both frameworks: a check written into the generated
 * project creates and patches a member through the routes and reads the column back; the
 * project's own member tests (which check the hash too) run beside it.
 */
const { spec, work } = scaffoldFixture('secret/members.yaml');

const CHECK = `${CHECK_SETUP}import { verify } from 'argon2';

const stored = async (id: unknown) =>
  (await app.db.query<{ password: string }>('select password from members where id = $1', [id])).rows[0]!.password;

describe('a password is kept as its hash', () => {
  it('on create and on patch, never as written, and no answer carries it', async () => {
    const created = await app.request('POST', '/members', { name: 'Ada', password: 'correct horse 1' }, admin.headers);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Ada' });
    expect(created.body).not.toHaveProperty('password');
    const first = await stored(created.body.id);
    expect(first).toMatch(/^\\$argon2id\\$/);
    expect(await verify(first, 'correct horse 1')).toBe(true);
    const patched = await app.request('PATCH', '/members/' + created.body.id, { password: 'battery staple 2' }, admin.headers);
    expect(patched.status).toBe(200);
    expect(patched.body).not.toHaveProperty('password');
    const second = await stored(created.body.id);
    expect(await verify(second, 'battery staple 2')).toBe(true);
    expect(second).not.toBe(first);
    const listed = await app.request('GET', '/members', undefined, admin.headers);
    expect(JSON.stringify(listed.body)).not.toContain('argon2');
  });
});
`;

describe.each(['fastify', 'express'] as const)('a password field in a generated %s project', (framework) => {
  it('is stored as its argon2id hash and never answered; the project’s own tests pass', async () => {
    const dir = join(work, framework);
    const result = await generateProject({ mode: 'new', dir, from: spec, framework, cwd: work });
    expect(result.warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^Member\.password is a password or secret: stored as its argon2id hash/),
    );
    // The column holds the hash: the body's length bounds are not a check on it.
    const migration = readdirSync(join(dir, 'migrations'))
      .map((f) => readFileSync(join(dir, 'migrations', f), 'utf8'))
      .join('\n');
    expect(migration).toMatch(/\bpassword text\b/);
    expect(migration).not.toMatch(/char_length\(password\)/);
    const modules = linkGeneratedDependencies(dir);
    writeFileSync(join(dir, 'test/generated/secret-check.test.ts'), CHECK);
    const run = await runProjectTool(dir, modules, [
      'vitest/vitest.mjs',
      'run',
      '--reporter=verbose',
      'test/generated/secret-check.test.ts',
      'test/generated/member.test.ts',
    ]);
    expect({ code: run.code, tail: run.code === 0 ? '' : run.output.slice(-4000) }).toEqual({
      code: 0,
      tail: '',
    });
    expect(run.output).toMatch(/stores password as its argon2id hash/);
  }, 600_000);
});
