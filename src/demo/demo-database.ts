import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect, type Database } from '../core/db/index.js';
import { PgliteDatabase } from '../core/db/pglite-database.js';
import { installedVersion } from './installed-version.js';

/** How the demo database was opened. */
export interface OpenedDemoDatabase {
  db: Database;
  /** For PGlite: whether initdb was skipped by loading the cached empty cluster. */
  fromCache: boolean;
}

/** The cache file name of the empty cluster made by PGlite `version`. */
export function initdbCacheName(version: string): string {
  return `pglite-initdb-${version.replace(/[^\w.-]/g, '_')}.tar`;
}

/**
 * Opens the demo's database: the server at `databaseUrl`, or PGlite in
 * memory. Creating a PGlite cluster runs initdb in WebAssembly (seconds);
 * the empty cluster is cached in `cacheDir` after the first run and loaded
 * from there afterwards, which takes under a second.
 */
export async function openDemoDatabase(
  databaseUrl: string | undefined,
  cacheDir: string | undefined,
  cwd: string,
): Promise<OpenedDemoDatabase> {
  if (databaseUrl) return { db: await connect({ databaseUrl, cwd }), fromCache: false };
  // Keyed by the PGlite actually installed: a cluster from another PGlite build may not load.
  const version = installedVersion('@electric-sql/pglite');
  const file = cacheDir && version ? join(cacheDir, initdbCacheName(version)) : undefined;
  const cached = file ? await readFile(file).catch(() => undefined) : undefined;
  if (cached) {
    try {
      const db = await PgliteDatabase.open({
        dataDir: undefined,
        displayUrl: 'pglite://memory',
        loadDataDir: new Blob([cached]),
      });
      return { db, fromCache: true };
    } catch {
      // A damaged cache: fall through to a fresh cluster, which rewrites it.
    }
  }
  const db = await PgliteDatabase.open({ dataDir: undefined, displayUrl: 'pglite://memory' });
  if (file && cacheDir) {
    const dump = await db.instance.dumpDataDir('none');
    await mkdir(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await rename(tmp, file);
  }
  return { db, fromCache: false };
}
