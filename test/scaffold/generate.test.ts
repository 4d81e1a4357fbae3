import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { generateProject } from '../../src/scaffold/generate.js';
import { collectTemplates, outputPath } from '../../src/scaffold/render.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenon-gen-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function files(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full, root) : [relative(root, full).split(sep).join('/')];
  });
}

function snapshot(dir: string): Map<string, string> {
  return new Map(
    files(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}

const spec = join(fixtures, 'shop/openapi.yaml');

describe('generateProject', () => {
  it.each(['fastify', 'express'] as const)(
    'writes exactly the files of the template folders (%s)',
    async (framework) => {
      const dir = join(work, `list-${framework}`);
      const result = await generateProject({ mode: 'new', dir, from: spec, framework, cwd: work });
      const expected = new Set<string>([
        '.tenon/manifest.json',
        '.tenon/model.json',
        // The spec lives outside the project: a copy (with the files it refers to) is kept inside.
        '.tenon/spec/openapi.yaml',
        '.tenon/spec/schemas/category.yaml',
        '.tenon/spec/schemas/review.yaml',
        'migrations/20000101000000_create_schema.sql',
      ]);
      for (const t of collectTemplates(framework)) {
        if (t.path.includes('__resource__'))
          for (const r of ['category', 'product', 'review'])
            expected.add(outputPath(t.path, { resource: r }));
        else if (t.path.includes('__operation__'))
          expected.add(outputPath(t.path, { operation: 'publish-product' }));
        // Written only for operations that take form or upload bodies; this spec has none.
        else if (t.path === 'test/generated/operations.test.ts.eta') continue;
        // Written only for specs that declare XML, or bodies and answers in several media types; this one does not.
        else if (
          [
            'src/http/xml-body.ts.eta',
            'src/http/answer-media.ts.eta',
            'test/generated/media-bodies.ts.eta',
          ].includes(t.path)
        )
          continue;
        else expected.add(outputPath(t.path));
      }
      expect(new Set(files(dir))).toEqual(expected);
      expect(result.files.every((f) => f.action === 'create')).toBe(true);
      expect(files(dir)).toContain('.gitignore');
      expect(files(dir)).toContain('.github/workflows/ci.yml');
    },
  );

  it('is deterministic: two generations are byte-identical', async () => {
    const a = join(work, 'det-a');
    const b = join(work, 'det-b');
    await generateProject({ mode: 'new', dir: a, from: spec, cwd: work, name: 'shop' });
    await generateProject({ mode: 'new', dir: b, from: spec, cwd: work, name: 'shop' });
    expect(snapshot(b)).toEqual(snapshot(a));
  });

  it('regenerating an unchanged spec changes nothing and adds no migration', async () => {
    const dir = join(work, 'same');
    await generateProject({ mode: 'new', dir, resources: 'Post(title:string)', cwd: work });
    const before = snapshot(dir);
    const again = await generateProject({ mode: 'generate', dir, cwd: work });
    expect(again.files.filter((f) => !['unchanged', 'skip'].includes(f.action))).toEqual([]);
    expect(again.migrations).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('never overwrites edits: edited generated files get a .tenon-new, user files are skipped', async () => {
    const dir = join(work, 'edits');
    await generateProject({ mode: 'new', dir, resources: 'Post(title:string)', cwd: work });
    const models = join(dir, 'src/generated/models.ts');
    const service = join(dir, 'src/resources/post.service.ts');
    writeFileSync(models, `${readFileSync(models, 'utf8')}\n// my edit\n`);
    writeFileSync(service, `${readFileSync(service, 'utf8')}\n// my business rule\n`);
    const result = await generateProject({
      mode: 'generate',
      dir,
      resources: 'Post(title:string, body:text?)',
      cwd: work,
    });
    expect(readFileSync(models, 'utf8')).toContain('// my edit');
    expect(readFileSync(`${models}.tenon-new`, 'utf8')).toContain('body?: string | null');
    expect(readFileSync(service, 'utf8')).toContain('// my business rule');
    expect(result.files.find((f) => f.path === 'src/generated/models.ts')).toMatchObject({
      action: 'conflict',
      newVersionPath: 'src/generated/models.ts.tenon-new',
    });
    expect(result.files.find((f) => f.path === 'src/resources/post.service.ts')?.action).toBe('skip');
    expect(result.files.find((f) => f.path === 'src/generated/schemas.ts')?.action).toBe('update');
    expect(result.migrations).toHaveLength(1);
    expect(readFileSync(join(dir, result.migrations[0]!), 'utf8')).toContain(
      'alter table posts add column body text;',
    );
  });

  it('deletes generated files of a removed resource but keeps the user-owned ones', async () => {
    const dir = join(work, 'removed');
    await generateProject({ mode: 'new', dir, resources: 'Post(title:string), Tag(name:string)', cwd: work });
    const result = await generateProject({
      mode: 'generate',
      dir,
      resources: 'Post(title:string)',
      cwd: work,
    });
    expect(existsSync(join(dir, 'src/generated/resources/tag.routes.ts'))).toBe(false);
    expect(existsSync(join(dir, 'src/resources/tag.service.ts'))).toBe(true);
    expect(result.files.find((f) => f.path === 'src/resources/tag.service.ts')?.action).toBe('orphan');
    expect(readFileSync(join(dir, result.migrations[0]!), 'utf8')).toContain('-- drop table tags;');
  });

  it('refuses a non-empty directory without force; with force it writes .tenon-new beside foreign files', async () => {
    const dir = join(work, 'occupied');
    mkdirSync(dir);
    writeFileSync(join(dir, 'README.md'), 'mine\n');
    await expect(
      generateProject({ mode: 'new', dir, resources: 'Post(title:string)', cwd: work }),
    ).rejects.toMatchObject({
      code: 'TENON_SCAFFOLD_TARGET_NOT_EMPTY',
    });
    const result = await generateProject({
      mode: 'new',
      dir,
      resources: 'Post(title:string)',
      cwd: work,
      force: true,
    });
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, 'README.md.tenon-new'))).toBe(true);
    expect(result.files.find((f) => f.path === 'README.md')?.action).toBe('conflict');
  });

  it('--dry-run plans without writing', async () => {
    const dir = join(work, 'dry');
    const result = await generateProject({
      mode: 'new',
      dir,
      resources: 'Post(title:string)',
      cwd: work,
      dryRun: true,
    });
    expect(existsSync(dir)).toBe(false);
    expect(result.files.length).toBeGreaterThan(40);
  });

  it('--templates replaces a template file and adds new ones', async () => {
    const templates = join(work, 'my-templates');
    mkdirSync(join(templates, 'docs'), { recursive: true });
    writeFileSync(join(templates, 'README.md.eta'), '# <%= it.project.name %> (ours)\n');
    writeFileSync(join(templates, 'docs/extra.md'), 'extra\n');
    const dir = join(work, 'custom');
    await generateProject({ mode: 'new', dir, resources: 'Post(title:string)', cwd: work, templates });
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# custom (ours)\n');
    expect(readFileSync(join(dir, 'docs/extra.md'), 'utf8')).toBe('extra\n');
  });

  it('refuses tenon generate outside a project', async () => {
    await expect(generateProject({ mode: 'generate', dir: work, cwd: work })).rejects.toMatchObject({
      code: 'TENON_SCAFFOLD_NOT_A_PROJECT',
    });
  });
});

describe('the served /openapi.json', () => {
  const served = (dir: string) => {
    const source = readFileSync(join(dir, 'src/generated/openapi.ts'), 'utf8');
    return JSON.parse(source.slice(source.indexOf('= {') + 2).replace(/;\s*$/, ''));
  };

  it('is the input spec bundled into one document, exactly as written', async () => {
    const dir = join(work, 'served');
    await generateProject({ mode: 'new', dir, from: spec, cwd: work });
    const doc = served(dir);
    const input = parseYaml(readFileSync(spec, 'utf8'));
    expect(Object.keys(doc.paths)).toEqual(Object.keys(input.paths));
    expect(doc.servers).toEqual(input.servers);
    expect(doc.info).toEqual(input.info);
    expect(doc.components.schemas.Product).toEqual(input.components.schemas.Product);
    expect(doc.paths['/products']).toEqual(input.paths['/products']);
    // External files are inlined, so the document stands alone.
    expect(JSON.stringify(doc)).not.toContain('.yaml');
    expect(doc.components.schemas.TenonError).toBeUndefined();
  });

  it('with --conventions, describes the envelope the routes send', async () => {
    const dir = join(work, 'served-conventions');
    await generateProject({ mode: 'new', dir, from: spec, cwd: work, conventions: true });
    const doc = served(dir);
    const input = parseYaml(readFileSync(spec, 'utf8'));
    expect(Object.keys(doc.paths)).toEqual(Object.keys(input.paths));
    expect(doc.paths['/products/{id}/publish']).toEqual(input.paths['/products/{id}/publish']);
    expect(
      doc.paths['/products'].get.responses['200'].content['application/json'].schema.properties.data.items,
    ).toEqual({
      $ref: '#/components/schemas/Product',
    });
    expect(
      doc.paths['/products'].post.responses['201'].content['application/json'].schema.properties.data,
    ).toEqual({
      $ref: '#/components/schemas/Product',
    });
    expect(doc.components.schemas.TenonError).toBeDefined();
    // The choice is kept: a regeneration without the flag serves the same.
    const manifest = JSON.parse(readFileSync(join(dir, '.tenon/manifest.json'), 'utf8'));
    expect(manifest.input.conventions).toBe(true);
    const again = await generateProject({ mode: 'generate', dir, cwd: work });
    expect(again.files.filter((f) => !['unchanged', 'skip'].includes(f.action))).toEqual([]);
  });
});
