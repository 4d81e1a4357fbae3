import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { generateProject } from '../../src/scaffold/generate.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenon-put-only-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * karakeep's `PUT /admin/users/{userId}` is its resource's only operation; it declares 404 ("User
 * not found") and answers `{ success: boolean }`. It used to create the missing row (an upsert) and
 * answer the row instead of what the spec declares.
 */
describe('modelFromOpenApi: a PUT-only resource that declares 404 and answers an acknowledgement', () => {
  const { model, warnings } = modelFromOpenApi('put-only-ack.yaml', fixtures);
  const user = model.resources.find((r) => r.name === 'User')!;
  const messages = warnings.map((w) => w.message);

  it('does not create where the spec says 404, and says so', () => {
    expect(user.served?.putCreates).toBeUndefined();
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^PUT \/admin\/users\/\{userId\} declares 404 and no 201: a key that names no row answers 404/,
      ),
    );
  });

  it('answers the acknowledgement the spec declares, not the row', () => {
    expect(user.served?.answers.update?.ack).toEqual([{ name: 'success', required: true, value: true }]);
    expect(messages).toContainEqual(expect.stringMatching(/answers an object that is not User \(success\)/));
  });
});

describe.each(['fastify', 'express'] as const)('generateProject (%s): a PUT-only resource', (framework) => {
  it('answers { success: true } and 404 for a missing row', async () => {
    const dir = join(work, framework);
    await generateProject({
      mode: 'new',
      dir,
      from: join(fixtures, 'put-only-ack.yaml'),
      framework,
      cwd: work,
    });
    const routes = readFileSync(join(dir, 'src/generated/resources/user.routes.ts'), 'utf8');
    expect(routes).not.toContain('upsertUser(');
    expect(routes).toContain("throw notFound('User')");
    expect(routes).toContain('{"success":true}');
  });

  it('without a declared 404 it is an upsert, and imports no notFound it never throws', async () => {
    // The same spec without the PUT's 404: the PUT is the only way to make a row, so it creates.
    const spec = join(work, `no-404-${framework}.yaml`);
    const text = readFileSync(join(fixtures, 'put-only-ack.yaml'), 'utf8');
    writeFileSync(spec, text.replace(/\n\s+"404": \{ description: User not found\. \}/, ''));
    expect(readFileSync(spec, 'utf8')).not.toContain('"404"');
    const dir = join(work, `no-404-${framework}`);
    await generateProject({ mode: 'new', dir, from: spec, framework, cwd: work });
    const routes = readFileSync(join(dir, 'src/generated/resources/user.routes.ts'), 'utf8');
    expect(routes).toContain('upsertUser(');
    expect(routes).not.toContain('notFound');
    expect(routes).toContain('{"success":true}');
  });
});
