import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { initdbCacheName } from '../../src/demo/demo-database.js';
import { installedVersion } from '../../src/demo/installed-version.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('installedVersion', () => {
  it('reads the version of the copy that resolves, not a range', () => {
    const root = mkdtempSync(join(tmpdir(), 'tenon-installed-'));
    roots.push(root);
    const pkg = join(root, 'node_modules', '@s', 'lib');
    mkdirSync(join(pkg, 'dist', 'cjs'), { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: '@s/lib', version: '0.5.17', main: 'dist/cjs/index.js' }),
    );
    // A nested package.json without the name (as some builds ship) is walked past.
    writeFileSync(join(pkg, 'dist', 'cjs', 'package.json'), JSON.stringify({ type: 'commonjs' }));
    writeFileSync(join(pkg, 'dist', 'cjs', 'index.js'), '');
    writeFileSync(join(root, 'package.json'), JSON.stringify({ dependencies: { '@s/lib': '^0.5.0' } }));
    const from = pathToFileURL(join(root, 'index.js'));
    expect(installedVersion('@s/lib', from)).toBe('0.5.17');
    expect(installedVersion('@s/missing', from)).toBeUndefined();
  });

  it("finds tenon's own PGlite", () => {
    const installed = JSON.parse(
      readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(installedVersion('@electric-sql/pglite')).toBe(installed.version);
  });
});

describe('initdbCacheName', () => {
  it('is one file per version, safe as a file name', () => {
    expect(initdbCacheName('0.5.16')).toBe('pglite-initdb-0.5.16.tar');
    expect(initdbCacheName('0.6.0-beta/1')).toBe('pglite-initdb-0.6.0-beta_1.tar');
  });
});
