import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';
import { linkGeneratedDependencies } from '../support/generated-deps.js';

/**
 * The fast check of the templates: every fixture in both frameworks is
 * generated and type-checked with the generated project's own TypeScript
 * and types (one shared install per framework). The e2e suite installs,
 * lints, tests and boots the same projects; this catches a broken template
 * in seconds instead.
 */
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenon-typecheck-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const inputs = {
  shop: { from: join(fixtures, 'shop/openapi.yaml'), conventions: true },
  'shop-as-written': { from: join(fixtures, 'shop/openapi.yaml') },
  petstore: { from: join(fixtures, 'petstore-3.0.json') },
  blog: { resources: readFileSync(join(fixtures, 'blog.resources'), 'utf8').trim() },
};

/** Runs tsc --noEmit in the project; resolves with its exit code and output. */
async function typecheck(dir: string, modules: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    [join(modules, 'typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'],
    {
      cwd: dir,
    },
  );
  let output = '';
  child.stdout.on('data', (c) => (output += String(c)));
  child.stderr.on('data', (c) => (output += String(c)));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

describe.each(['fastify', 'express'] as const)('generated %s projects type-check', (framework) => {
  it(`shop (with and without --conventions), petstore and blog compile with tsc --noEmit`, async () => {
    const dirs: string[] = [];
    for (const [name, input] of Object.entries(inputs)) {
      const dir = join(work, `${framework}-${name}`);
      await generateProject({ mode: 'new', dir, framework, cwd: work, ...input });
      dirs.push(dir);
    }
    const modules = linkGeneratedDependencies(dirs[0]!);
    for (const dir of dirs.slice(1)) expect(linkGeneratedDependencies(dir)).toBe(modules);
    const results = await Promise.all(dirs.map((dir) => typecheck(dir, modules)));
    expect(results.map((r, i) => ({ dir: dirs[i], ...r }))).toEqual(
      dirs.map((dir) => ({ dir, code: 0, output: '' })),
    );
  }, 420_000);
});
