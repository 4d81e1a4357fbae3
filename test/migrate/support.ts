import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { connect } from '../../src/core/db/connect.js';
import type { Database } from '../../src/core/db/database.js';
import { renderMigrationFile } from '../../src/core/migration/migration-file.js';
import { Migrator, type MigratorOptions } from '../../src/migrate/index.js';
import { createTempDatabase, type TempDatabase } from '../support/services.js';

/** A migration to write: `up` SQL, and `down` SQL (`''` irreversible, `undefined` no marker). */
export interface MigrationSpec {
  up: string;
  down?: string | undefined;
}

/** A temporary migrations directory. */
export interface MigrationDir {
  dir: string;
  /** Writes (or overwrites) `<version>_<name>.sql`. */
  write(fileStem: string, spec: MigrationSpec | string): string;
  remove(): void;
}

/** Creates an empty migrations directory under the OS temp dir. */
export function migrationDir(): MigrationDir {
  const dir = mkdtempSync(join(tmpdir(), 'tenon-migrate-'));
  return {
    dir,
    write(fileStem, spec) {
      const path = join(dir, `${fileStem}.sql`);
      const text =
        typeof spec === 'string'
          ? spec
          : spec.down === undefined
            ? `-- migrate:up\n${spec.up}\n`
            : renderMigrationFile({ up: spec.up, down: spec.down });
      writeFileSync(path, text);
      return path;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `n` migrations `2026010100000N_step_N` that each create table `step_N`. */
export function writeSteps(dir: MigrationDir, n: number, start = 1): string[] {
  const versions: string[] = [];
  for (let i = start; i < start + n; i++) {
    const version = `202601010${String(i).padStart(5, '0')}`;
    dir.write(`${version}_step_${i}`, {
      up: `create table step_${i} (id int primary key);`,
      down: `drop table step_${i};`,
    });
    versions.push(version);
  }
  return versions;
}

/** Opens a database for a contract test: PGlite in memory, or a server URL. */
export async function openTarget(kind: 'pglite' | 'postgres', url?: string): Promise<Database> {
  return connect({ databaseUrl: kind === 'pglite' ? 'pglite://memory' : url });
}

/** Drops everything a test created, so the next test starts from an empty database. */
export async function resetDatabase(db: Database): Promise<void> {
  const { rows } = await db.query<{ nspname: string }>(
    `select nspname::text from pg_namespace
      where nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and nspname not like 'pg_temp%'
        and nspname not like 'pg_toast_temp%'`,
  );
  for (const { nspname } of rows) await db.exec(`drop schema "${nspname}" cascade`);
  await db.exec('create schema public');
}

/** The names of the user tables in `public`. */
export async function publicTables(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `select tablename::text as name from pg_tables where schemaname = 'public' order by 1`,
  );
  return rows.map((r) => r.name);
}

/** What {@link useMigrateTarget} gives a suite: filled in by its `beforeAll`/`beforeEach`. */
export interface MigrateTarget {
  /** The suite's database, emptied before each test when `perTest` is set. */
  readonly db: Database;
  /** The server temp database's URL (undefined on PGlite). */
  readonly url: string | undefined;
  /** This test's migrations directory (with `perTest`). */
  readonly files: MigrationDir;
  /** A Migrator on `db` and `files`, closed after the test. */
  migrator(options?: MigratorOptions): Migrator;
}

/**
 * Registers the hooks of a suite that runs against one database, PGlite or
 * a temp database of the server: opened once, closed and dropped after all.
 * With `perTest`, each test starts from an empty database and its own
 * migrations directory, and Migrators made with `migrator()` are closed after it.
 */
export function useMigrateTarget(options: {
  kind: 'pglite' | 'postgres';
  skip: boolean;
  /** Name prefix of the server temp database. */
  name?: string;
  perTest?: boolean;
  /** Options every `migrator()` gets (before the test's own). */
  migratorDefaults?: (target: MigrateTarget) => MigratorOptions;
}): MigrateTarget {
  let temp: TempDatabase | undefined;
  let db: Database | undefined;
  let files: MigrationDir | undefined;
  const open: Migrator[] = [];
  const target: MigrateTarget = {
    get db() {
      if (!db) throw new Error('the suite database is not open (skipped suite, or used outside a test)');
      return db;
    },
    get url() {
      return temp?.url;
    },
    get files() {
      if (!files)
        throw new Error('no migrations directory: useMigrateTarget({ perTest: true }) makes one per test');
      return files;
    },
    migrator(own = {}) {
      const m = new Migrator({
        db: target.db,
        dir: target.files.dir,
        ...options.migratorDefaults?.(target),
        ...own,
      });
      open.push(m);
      return m;
    },
  };
  beforeAll(async () => {
    if (options.skip) return;
    if (options.kind === 'postgres') temp = await createTempDatabase(undefined, options.name);
    db = await openTarget(options.kind, temp?.url);
  });
  afterAll(async () => {
    await db?.close();
    await temp?.drop();
  });
  if (options.perTest) {
    beforeEach(async () => {
      if (options.skip) return;
      await resetDatabase(target.db);
      files = migrationDir();
    });
    afterEach(async () => {
      for (const m of open.splice(0)) await m.close();
      files?.remove();
      files = undefined;
    });
  }
  return target;
}
