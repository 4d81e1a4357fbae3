import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initdbCacheName, openDemoDatabase } from '../../src/demo/demo-database.js';
import { installedVersion } from '../../src/demo/installed-version.js';

describe('openDemoDatabase: the empty PGlite cluster is cached per installed PGlite version', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'tenon-initdb-cache-'));
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
  const version = installedVersion('@electric-sql/pglite')!;
  const file = join(cacheDir, initdbCacheName(version));

  it('ignores a cache file of another key, writes its own, and loads it the next time', async () => {
    // The name the cache had when it was keyed by the dependency range ("^0.5.16" → "0516").
    writeFileSync(join(cacheDir, 'pglite-initdb-0516.tar'), 'not a cluster');
    const first = await openDemoDatabase(undefined, cacheDir, cacheDir);
    await first.db.close();
    expect(first.fromCache).toBe(false);
    expect(existsSync(file)).toBe(true);

    const second = await openDemoDatabase(undefined, cacheDir, cacheDir);
    try {
      expect(second.fromCache).toBe(true);
      expect((await second.db.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await second.db.close();
    }
    expect(readdirSync(cacheDir).sort()).toEqual([initdbCacheName(version), 'pglite-initdb-0516.tar'].sort());
    // Two cluster creations (initdb in WebAssembly): 10–30 s on a loaded 2-core machine.
  });

  it('a damaged cache file of this version is replaced by a fresh cluster', async () => {
    writeFileSync(file, 'damaged');
    const opened = await openDemoDatabase(undefined, cacheDir, cacheDir);
    await opened.db.close();
    expect(opened.fromCache).toBe(false);
    const again = await openDemoDatabase(undefined, cacheDir, cacheDir);
    await again.db.close();
    expect(again.fromCache).toBe(true);
  });
});
