import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Config, loadConfig } from '../../src/config.js';
import { createPgliteDb, createPostgresDb, type Db, dumpPglite } from '../../src/db/database.js';
import { migrateUp } from '../../src/db/migrator.js';

/** A fresh signing key per test run: tests that forge tokens read it from `config`. */
const JWT_SECRET = randomBytes(32).toString('base64');

/** A migrated database for one test file, and how to throw it away. */
export interface TestDatabase {
  db: Db;
  config: Config;
  /** The schema the tables are in (`public` on PGlite). */
  schema: string;
  drop(): Promise<void>;
}

/**
 * Settings of the app under test: limits high enough that ordinary tests are
 * never throttled, overload shedding off (a busy CI machine is not an
 * overloaded service); the tests of those features set their own values.
 */
export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  RATE_LIMIT_MAX: '1000000',
  RATE_LIMIT_AUTH_MAX: '1000000',
  RATE_LIMIT_ACCOUNT_MAX: '1000000',
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
  JWT_SECRET,
};

let template: Promise<Blob> | undefined;

/**
 * The migrated PGlite cluster every in-memory test database starts from:
 * migrated once per test worker (test files share a worker's modules), then
 * copied, instead of creating and migrating a cluster per database.
 */
function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const db = await createPgliteDb('memory');
    try {
      await migrateUp(db, { dir: 'migrations' });
      return await dumpPglite(db);
    } finally {
      await db.close();
    }
  })();
  return template;
}

/**
 * The same database under other settings: another app instance over it (rate
 * limits, overload), without a database of its own. Its `drop` does nothing;
 * the database's own `drop` throws it away.
 */
export function withSettings(database: TestDatabase, env: Record<string, string>): TestDatabase {
  const url = database.config.DATABASE_URL;
  const config = loadConfig({ ...TEST_ENV, ...(url ? { DATABASE_URL: url, DB_POOL_MAX: '5' } : {}), ...env });
  return { ...database, config, drop: async () => undefined };
}

/**
 * PGlite in memory by default; with DATABASE_URL set, a fresh schema on
 * that server (dropped afterwards), so parallel test files never share rows.
 * `env` overrides settings (e.g. `{ RATE_LIMIT_MAX: '3' }`).
 */
export async function createTestDatabase(env: Record<string, string> = {}): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const config = loadConfig({ ...TEST_ENV, ...env });
    const db = await createPgliteDb('memory', { loadDataDir: await migratedTemplate() });
    return { db, config, schema: 'public', drop: () => db.close() };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const config = loadConfig({ ...TEST_ENV, DATABASE_URL: scoped.toString(), DB_POOL_MAX: '5', ...env });
  const db = createPostgresDb(config);
  await migrateUp(db, { dir: 'migrations', schema });
  return {
    db,
    config,
    schema,
    async drop() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema if exists ${schema} cascade`);
      await cleanup.end();
    },
  };
}
