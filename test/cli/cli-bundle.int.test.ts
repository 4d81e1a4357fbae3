import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist');

/** The relative module specifiers a built file imports (statically or with `import()`). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom|\bimport\s*\(|^import)\s*["'](\.{1,2}\/[^"']+)["']/gm)].map(
    (m) => m[1]!,
  );
}

describe('the built CLI is a bundle (npm run build: tsc, then scripts/bundle-cli.ts)', () => {
  it('is what the CLI tests run', () => {
    expect(inject('tenonDistBin')).toBe(join(DIST, 'cli', 'bin.js'));
  });

  it('loads only its own chunks, not tsc’s module tree', () => {
    const chunks = readdirSync(join(DIST, 'cli')).filter((f) => f.startsWith('_') && f.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(0);
    const files = [join(DIST, 'cli', 'bin.js'), join(DIST, 'load', 'load-worker.js')];
    const imported = files.flatMap(relativeImports);
    // The bin starts its commands through `import()` of chunks.
    expect(relativeImports(files[0]!).length).toBeGreaterThan(0);
    for (const specifier of [...imported, ...chunks.flatMap((c) => relativeImports(join(DIST, 'cli', c)))]) {
      expect(specifier).toMatch(/^(\.\/|\.\.\/cli\/)_[\w-]+\.js$/);
    }
  });

  it('gives the load worker one file: no chunk, no hdr-histogram-js file required at run time', () => {
    // Each worker thread loads its modules anew; every file costs it a resolve, a read and a compile.
    const worker = join(DIST, 'load', 'load-worker.js');
    expect(relativeImports(worker)).toEqual([]);
    const source = readFileSync(worker, 'utf8');
    expect(source).toContain('node_modules/hdr-histogram-js/dist/Int32Histogram.js');
    expect(source).not.toMatch(/require\("hdr-histogram-js\/dist\//);
  });

  it('holds pg itself: loading its PostgreSQL chunk reads no file of pg from node_modules', () => {
    const chunk = readdirSync(join(DIST, 'cli'))
      .filter((f) => f.startsWith('_') && f.endsWith('.js'))
      .find((f) => readFileSync(join(DIST, 'cli', f), 'utf8').includes('function loadPg('));
    expect(chunk, 'the chunk of core/db/load-pg.ts').toBeDefined();
    // Importing the chunk loads pg (postgres-database.ts calls loadPg() as it loads).
    const script = `import M from 'node:module';
await import(${JSON.stringify(join(DIST, 'cli', chunk!))});
const files = Object.keys(M._cache).filter((p) => /[\\/]node_modules[\\/]pg[\\/-]/.test(p));
console.log(JSON.stringify({ files, undici: process.moduleLoadList.filter((m) => /undici/.test(m)) }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const loaded = JSON.parse(run.stdout) as { files: string[]; undici: string[] };
    expect(loaded.files).toEqual([]);
    // pg's Cloudflare check still finds no Response to build (load-pg.ts): Node's fetch stays unloaded.
    expect(loaded.undici).toEqual([]);
  });

  it('holds zod without its 40 locales: tenon imports zod as a namespace, which esbuild tree-shakes', () => {
    // `import { z } from 'zod'` binds the package's whole namespace object (every locale, the
    // JSON Schema converters): a 755 KB chunk that every command compiled (issue 14, start-up).
    const sources = readdirSync(join(DIST, 'cli'))
      .filter((f) => f.startsWith('_') && f.endsWith('.js'))
      .flatMap((f) => [
        ...readFileSync(join(DIST, 'cli', f), 'utf8').matchAll(/^\/\/ (node_modules\/zod\/\S+)/gm),
      ])
      .map((m) => m[1]!);
    expect(sources).toContain('node_modules/zod/v4/core/schemas.js');
    expect(sources.filter((s) => s.includes('/locales/'))).toEqual(['node_modules/zod/v4/locales/en.js']);
  });

  it('`tenon --version` loads neither commander nor zod; a command loads both', () => {
    // A loader hook (its own thread) appends every module Node loads to a file.
    const dir = mkdtempSync(join(tmpdir(), 'tenon-bundle-'));
    const hook = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.TENON_TEST_LOADED, url + '\\n');
  return next(url, context);
}`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
    const loaded = (args: string[]): string[] => {
      const log = join(dir, `${args.join('-')}.txt`);
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          `data:text/javascript,${encodeURIComponent(register)}`,
          join(DIST, 'cli', 'bin.js'),
          ...args,
        ],
        { encoding: 'utf8', env: { ...process.env, TENON_TEST_LOADED: log } },
      );
      expect(run.status, run.stderr).toBe(0);
      return readFileSync(log, 'utf8').trim().split('\n');
    };
    const holds = (urls: string[], pkg: string) =>
      urls.some((url) => readFileSync(fileURLToPath(url), 'utf8').includes(`// node_modules/${pkg}/`));
    try {
      const version = loaded(['--version']);
      expect(version[0]).toMatch(/\/dist\/cli\/bin\.js$/);
      expect(holds(version, 'commander')).toBe(false);
      expect(holds(version, 'zod')).toBe(false);
      const migrateHelp = loaded(['migrate', '--help']);
      expect(holds(migrateHelp, 'commander')).toBe(true);
      expect(holds(migrateHelp, 'zod')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ships the bundle and the unbundled library entries in the npm package', () => {
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(packed.status, packed.stderr).toBe(0);
    const [{ files }] = JSON.parse(packed.stdout) as [{ files: { path: string }[] }];
    const paths = new Set(files.map((f) => f.path));
    for (const path of [
      'dist/cli/bin.js',
      'dist/load/load-worker.js',
      'dist/index.js',
      'dist/migrate/index.js',
    ])
      expect(paths.has(path), path).toBe(true);
    expect([...paths].some((p) => /^dist\/cli\/_chunk-[\w-]+\.js$/.test(p))).toBe(true);
    // The library entry stays tsc's output: one module per source file, imported relatively.
    expect(relativeImports(join(DIST, 'index.js')).some((s) => !s.includes('/_'))).toBe(true);
  });
});
