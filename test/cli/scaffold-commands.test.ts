import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTenon } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'tenon-cli-scaffold-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tenon new / tenon generate', () => {
  it('new --dry-run --json reports the plan and writes nothing', async () => {
    const result = await runTenon(
      ['new', 'shop', '--resources', 'Product(name:string)', '--dry-run', '--json'],
      { cwd: work },
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      name: 'shop',
      framework: 'fastify',
      dryRun: true,
      installed: false,
      resources: ['Product'],
      conflicts: [],
    });
    expect(report.written).toContain('src/generated/resources/product.routes.ts');
    expect(report.migrations).toEqual(['migrations/20000101000000_create_schema.sql']);
  });

  it('new ends with the next steps, the first admin included (the API denies anonymous callers)', async () => {
    const result = await runTenon(
      ['new', 'next-steps', '--resources', 'Product(name:string)', '--no-install'],
      {
        cwd: work,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const next = result.stdout.split('\n').find((line) => line.startsWith('next: '));
    expect(next).toMatch(
      /npm install && cp \.env\.example \.env && npm run migrate && npm run create-admin -- --email \S+ && npm run dev$/,
    );
  });

  it('new refuses a non-empty directory with exit 2 and a hint', async () => {
    mkdirSync(join(work, 'full'));
    writeFileSync(join(work, 'full', 'notes.txt'), 'mine');
    const result = await runTenon(['new', 'full', '--resources', 'Product(name:string)', '--no-install'], {
      cwd: work,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/TENON_SCAFFOLD_TARGET_NOT_EMPTY/);
    expect(result.stderr).toMatch(/--force/);
  });

  it('says which list answers are not served as the spec declares them, beside the served-as-written line', async () => {
    const spec = join(import.meta.dirname, '../scaffold/fixtures/nested-page.yaml');
    const out = await runTenon(['new', 'pages', '--from', spec, '--dry-run'], { cwd: work });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(
      "its answers but 1 list answer(s) in tenon's envelope (warning list-answer-not-served)",
    );
    expect(out.stderr).toMatch(/warning list-answer-not-served: .*nested-page\.yaml#\/paths\/~1boxes\/get/);
  });

  it('reports operations that answer 501, and a spec error with its pointer', async () => {
    const spec = join(import.meta.dirname, '../scaffold/fixtures/shop/openapi.yaml');
    const ok = await runTenon(['new', 'shop2', '--from', spec, '--framework', 'express', '--no-install'], {
      cwd: work,
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      /publishProduct\s+POST \/api\/v1\/products\/:id\/publish\s+src\/operations\/publish-product\.ts/,
    );
    const bad = await runTenon(
      ['new', 'bad', '--from', join(import.meta.dirname, '../scaffold/fixtures/bad/bad-type.yaml'), '--json'],
      { cwd: work },
    );
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error).toMatchObject({
      code: 'TENON_SCAFFOLD_SPEC_INVALID',
      message: expect.stringContaining('/components/schemas/Thing/properties/name/type'),
    });
  });

  it('generate resource adds a resource and a migration; generate outside a project is exit 2', async () => {
    const created = await runTenon(['new', 'blog', '--resources', 'Post(title:string)', '--no-install'], {
      cwd: work,
    });
    expect(created.code, created.stderr).toBe(0);
    const added = await runTenon(
      ['generate', 'resource', 'Comment', 'post:ref(Post)', 'body:text', '--json'],
      { cwd: join(work, 'blog') },
    );
    expect(added.code, added.stderr).toBe(0);
    const report = JSON.parse(added.stdout);
    expect(report.resources).toEqual(['Post', 'Comment']);
    expect(report.migrations).toHaveLength(1);
    expect(readFileSync(join(work, 'blog', report.migrations[0]), 'utf8')).toContain(
      'create index comments_post_id_idx on comments (post_id);',
    );
    const outside = await runTenon(['generate'], { cwd: work });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/TENON_SCAFFOLD_NOT_A_PROJECT/);
  });
});
