import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { TenonError } from '../../src/core/errors.js';
import { generateProject } from '../../src/scaffold/generate.js';
import { readManifest } from '../../src/scaffold/manifest.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenon-move-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The shop spec (three files: $refs across them) in a folder of its own, outside any project. */
function specFolder(name: string): string {
  const dir = join(work, name);
  cpSync(join(fixtures, 'shop'), dir, { recursive: true });
  return join(dir, 'openapi.yaml');
}

function written(result: Awaited<ReturnType<typeof generateProject>>): string[] {
  return result.files.filter((f) => f.action !== 'unchanged' && f.action !== 'skip').map((f) => f.path);
}

describe('regenerating after the project moved (issue 11, item 6)', () => {
  it('keeps a copy of a spec that lives outside the project, with the files its $refs reach', async () => {
    const spec = specFolder('spec-a');
    const dir = join(work, 'a', 'shop');
    await generateProject({ mode: 'new', dir, from: spec, cwd: work });
    const manifest = readManifest(dir)!;
    expect(manifest.input).toEqual({
      kind: 'openapi',
      from: '../../spec-a/openapi.yaml',
      copy: '.tenon/spec/openapi.yaml',
    });
    for (const file of ['openapi.yaml', 'schemas/category.yaml', 'schemas/review.yaml'])
      expect(readFileSync(join(dir, '.tenon/spec', file), 'utf8')).toBe(
        readFileSync(join(work, 'spec-a', file), 'utf8'),
      );
  });

  it('a moved project regenerates without --from, from its copy, and says so', async () => {
    const spec = specFolder('spec-b');
    const dir = join(work, 'b', 'shop');
    await generateProject({ mode: 'new', dir, from: spec, cwd: work });
    // Moved one level deeper: ../../spec-b/openapi.yaml no longer reaches the spec.
    const moved = join(work, 'b', 'elsewhere', 'deeper', 'shop');
    mkdirSync(join(work, 'b', 'elsewhere', 'deeper'), { recursive: true });
    renameSync(dir, moved);
    const result = await generateProject({ mode: 'generate', dir: moved, cwd: moved });
    expect(written(result)).toEqual([]);
    expect(result.resources).toEqual(['Category', 'Product', 'Review']);
    expect(result.warnings.map((w) => w.message).join('\n')).toMatch(
      /spec \.\.\/\.\.\/spec-b\/openapi\.yaml is not there .* regenerated from its copy \.tenon\/spec\/openapi\.yaml/,
    );
    // The manifest still points at the spec (so --from is not needed once it is back) and at the copy.
    expect(readManifest(moved)!.input).toMatchObject({
      from: '../../spec-b/openapi.yaml',
      copy: '.tenon/spec/openapi.yaml',
    });
  });

  it('a moved project without the spec or its copy (.tenon/spec/ not committed) is told to pass --from', async () => {
    const spec = specFolder('spec-e');
    const dir = join(work, 'e', 'shop');
    await generateProject({ mode: 'new', dir, from: spec, cwd: work });
    const moved = join(work, 'e', 'elsewhere', 'deeper', 'shop');
    mkdirSync(join(work, 'e', 'elsewhere', 'deeper'), { recursive: true });
    renameSync(dir, moved);
    rmSync(join(moved, '.tenon', 'spec'), { recursive: true });
    const refused = await generateProject({ mode: 'generate', dir: moved, cwd: moved }).then(
      () => undefined,
      (error: unknown) => error as TenonError,
    );
    expect(refused?.code).toBe('TENON_SCAFFOLD_SPEC_NOT_FOUND');
    expect(refused?.message).toBe(
      'The spec this project was generated from, ../../spec-e/openapi.yaml (.tenon/manifest.json), is not there, nor its copy .tenon/spec/openapi.yaml.',
    );
    expect(refused?.hint).toMatch(/--from/);
  });

  it('a clone (the project alone, elsewhere) regenerates from the copy, and a later spec change still works with --from', async () => {
    const spec = specFolder('spec-c');
    const dir = join(work, 'c', 'shop');
    await generateProject({ mode: 'new', dir, from: spec, cwd: work });
    const clone = join(work, 'clone-of-c');
    cpSync(dir, clone, { recursive: true });
    rmSync(join(work, 'spec-c'), { recursive: true });
    const again = await generateProject({ mode: 'generate', dir: clone, cwd: clone });
    expect(written(again)).toEqual([]);
    // The spec changes at a new place: --from points there, and the copy follows it.
    const next = specFolder('spec-c-new');
    const doc = parseYaml(readFileSync(next, 'utf8'));
    doc.components.schemas.Note = {
      type: 'object',
      properties: { id: { type: 'integer', readOnly: true }, text: { type: 'string' } },
    };
    doc.paths['/notes'] = {
      post: {
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } } },
        responses: {
          '201': {
            description: 'created',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } },
          },
        },
      },
    };
    writeFileSync(next, stringifyYaml(doc));
    const changed = await generateProject({ mode: 'generate', dir: clone, from: next, cwd: clone });
    expect(changed.resources).toContain('Note');
    expect(readFileSync(join(clone, '.tenon/spec/openapi.yaml'), 'utf8')).toContain('/notes');
    expect(readManifest(clone)!.input).toEqual({
      kind: 'openapi',
      from: '../spec-c-new/openapi.yaml',
      copy: '.tenon/spec/openapi.yaml',
    });
  });

  it('a spec inside the project is recorded by its project-relative path, without a copy, and moves with it', async () => {
    const dir = join(work, 'd', 'shop');
    mkdirSync(join(dir, 'api'), { recursive: true });
    cpSync(join(fixtures, 'shop'), join(dir, 'api'), { recursive: true });
    await generateProject({ mode: 'new', dir, from: join(dir, 'api/openapi.yaml'), cwd: work, force: true });
    expect(readManifest(dir)!.input).toEqual({ kind: 'openapi', from: 'api/openapi.yaml' });
    expect(existsSync(join(dir, '.tenon/spec'))).toBe(false);
    const moved = join(work, 'd-moved');
    renameSync(dir, moved);
    const result = await generateProject({ mode: 'generate', dir: moved, cwd: moved });
    expect(written(result)).toEqual([]);
    expect(result.warnings.filter((w) => /not there/.test(w.message))).toEqual([]);
  });
});
