import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from './database.js';
import { type MigrationFile, readMigrations } from './migration-files.js';

/** Where the migrations and the history table are. */
export interface MigratorOptions {
  dir: string;
  /** Schema of the history table (default `public`, as `tenon migrate`). */
  schema?: string;
  /** History table (default `tenon_migrations`, as `tenon migrate`). */
  table?: string;
  /** How long to wait for another runner (this one or `tenon migrate`) to finish. */
  lockWaitMs?: number;
  log?: (message: string) => void;
}

/** One migration and whether it has run. */
export interface MigrationStatus {
  version: string;
  name: string;
  state: 'applied' | 'pending' | 'changed' | 'dirty' | 'missing';
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function historyTable(o: MigratorOptions): string {
  return `${quote(o.schema ?? 'public')}.${quote(o.table ?? 'tenon_migrations')}`;
}

/** The same table as `tenon migrate` creates (docs/migrate.md of tenon). */
function createHistorySql(o: MigratorOptions): string {
  return `create schema if not exists ${quote(o.schema ?? 'public')};
create table if not exists ${historyTable(o)} (
  version          text primary key,
  name             text not null,
  checksum         text not null,
  state            text not null default 'applied' check (state in ('applied', 'dirty')),
  statements_done  integer not null default 0,
  statements_total integer not null default 0,
  applied_at       timestamptz not null default now(),
  execution_ms     integer not null default 0,
  applied_by       text not null default current_user,
  error            text
)`;
}

/** The advisory lock key `tenon migrate` uses for the same database and history table. */
function lockKey(database: string, o: MigratorOptions): string {
  const digest = createHash('sha256')
    .update(`tenon migrate\0${database}\0${o.schema ?? 'public'}\0${o.table ?? 'tenon_migrations'}`)
    .digest();
  return digest.readBigInt64BE(0).toString();
}

/** Counts statements: semicolons outside quotes, comments and dollar-quoted bodies. */
export function countStatements(sql: string): number {
  const stripped = sql
    .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, "''")
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""')
    .replace(/--[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '');
  return stripped.split(';').filter((s) => s.trim() !== '').length;
}

// Statements PostgreSQL refuses inside a transaction; `tenon migrate` runs those one by one.
const NON_TRANSACTIONAL = /\bconcurrently\b|^\s*vacuum\b|\balter\s+system\b|\b(create|drop)\s+(database|tablespace)\b/im;

interface HistoryRow {
  version: string;
  name: string;
  checksum: string;
  state: string;
}

async function history(tx: Db, o: MigratorOptions): Promise<HistoryRow[]> {
  const { rows } = await tx.query<HistoryRow>(
    `select version, name, checksum, state from ${historyTable(o)} order by version`,
  );
  return rows;
}

function statusOf(files: MigrationFile[], rows: HistoryRow[]): MigrationStatus[] {
  const byVersion = new Map(rows.map((r) => [r.version, r]));
  const out: MigrationStatus[] = files.map((f) => {
    const row = byVersion.get(f.version);
    const state = !row ? 'pending' : row.state === 'dirty' ? 'dirty' : row.checksum !== f.checksum ? 'changed' : 'applied';
    return { version: f.version, name: f.name, state };
  });
  for (const row of rows) {
    if (!files.some((f) => f.version === row.version)) out.push({ version: row.version, name: row.name, state: 'missing' });
  }
  return out.sort((a, b) => a.version.localeCompare(b.version));
}

async function withLock<T>(db: Db, o: MigratorOptions, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ db: string }>('select current_database() as db');
    const key = lockKey(rows[0]!.db, o);
    const deadline = Date.now() + (o.lockWaitMs ?? 60_000);
    for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
      const got = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1::bigint) as ok', [key]);
      if (got.rows[0]!.ok) break;
      if (Date.now() > deadline) throw new Error('Another migration runner holds the migration lock; try again later.');
      await sleep(pause);
    }
    await tx.exec(createHistorySql(o));
    return fn(tx);
  });
}

/** Every migration file and history row with its state. */
export async function migrationStatus(db: Db, o: MigratorOptions): Promise<MigrationStatus[]> {
  return withLock(db, o, async (tx) => statusOf(readMigrations(o.dir), await history(tx, o)));
}

/**
 * Applies every pending migration, oldest first, in one transaction that
 * holds the same advisory lock as `tenon migrate`, recording each in the
 * same history table with the same checksum. Refuses to run when an applied
 * migration was edited or a pending one is older than the newest applied.
 */
export async function migrateUp(db: Db, o: MigratorOptions): Promise<string[]> {
  const files = readMigrations(o.dir);
  return withLock(db, o, async (tx) => {
    const rows = await history(tx, o);
    const status = statusOf(files, rows);
    const bad = status.find((s) => s.state === 'changed' || s.state === 'dirty');
    if (bad) {
      throw new Error(
        `Migration ${bad.version}_${bad.name} is ${bad.state === 'changed' ? 'applied but its file has changed since' : 'dirty (a non-transactional migration failed half-way)'}; fix it with tenon migrate (verify / repair).`,
      );
    }
    const newest = rows.map((r) => r.version).sort().at(-1) ?? '';
    const pending = files.filter((f) => status.find((s) => s.version === f.version)?.state === 'pending');
    const applied: string[] = [];
    for (const file of pending) {
      if (file.version < newest) {
        throw new Error(`Migration ${file.file} is older than the newest applied one (${newest}); rename it with a newer version.`);
      }
      if (NON_TRANSACTIONAL.test(file.up.replace(/--[^\n]*/g, ''))) {
        throw new Error(`${file.file} has statements that cannot run in a transaction (CONCURRENTLY, VACUUM…); apply it with tenon migrate up.`);
      }
      const started = Date.now();
      await tx.exec(`set local lock_timeout = '5s'`);
      await tx.exec(file.up);
      const count = countStatements(file.up);
      await tx.query(
        `insert into ${historyTable(o)} (version, name, checksum, state, statements_done, statements_total, execution_ms)
         values ($1, $2, $3, 'applied', $4, $4, $5)`,
        [file.version, file.name, file.checksum, count, Date.now() - started],
      );
      o.log?.(`applied ${file.file} (${Date.now() - started} ms)`);
      applied.push(file.file);
    }
    return applied;
  });
}

/** Reverts the newest `steps` applied migrations with their down sections. */
export async function migrateDown(db: Db, o: MigratorOptions, steps = 1): Promise<string[]> {
  const files = readMigrations(o.dir);
  return withLock(db, o, async (tx) => {
    const rows = (await history(tx, o)).reverse().slice(0, steps);
    const reverted: string[] = [];
    for (const row of rows) {
      const file = files.find((f) => f.version === row.version);
      if (!file?.down?.trim()) throw new Error(`Migration ${row.version}_${row.name} has no down section (or its file is missing).`);
      await tx.exec(file.down);
      await tx.query(`delete from ${historyTable(o)} where version = $1`, [row.version]);
      o.log?.(`reverted ${file.file}`);
      reverted.push(file.file);
    }
    return reverted;
  });
}
