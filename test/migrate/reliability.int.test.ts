import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator } from '../../src/migrate/index.js';
import { runTenon, spawnTenon, spawnTenonAndWait } from '../support/cli.js';
import { createTempDatabase, requirePostgres, type TempDatabase } from '../support/services.js';
import { tenonFailure } from '../support/tenon-failure.js';
import { type MigrationDir, migrationDir } from './support.js';

const server = await requirePostgres();

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The six reliability scenarios of `tenon migrate`, each on its own temp database of the server. */
describe.skipIf(!server.available)(`tenon migrate reliability (server PostgreSQL) ${server.reason}`, () => {
  let temp: TempDatabase;
  let admin: pg.Client;
  const dirs: MigrationDir[] = [];

  async function freshDatabase(): Promise<{ url: string; client: pg.Client; files: MigrationDir }> {
    const name = `tenon_rel_${Math.random().toString(16).slice(2, 10)}`;
    await admin.query(`create database ${name}`);
    const url = new URL(temp.url);
    url.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: url.toString() });
    // afterAll drops the databases WITH (FORCE); a client a failed test left open must not crash the run.
    client.on('error', () => undefined);
    await client.connect();
    const files = migrationDir();
    dirs.push(files);
    return { url: url.toString(), client, files };
  }

  beforeAll(async () => {
    temp = await createTempDatabase();
    admin = new pg.Client({ connectionString: temp.url });
    await admin.connect();
  });
  afterAll(async () => {
    const { rows } = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like 'tenon_rel_%'`,
    );
    for (const { datname } of rows) await admin.query(`drop database ${datname} with (force)`);
    await admin.end();
    await temp.drop();
    for (const d of dirs) d.remove();
  });

  it('1. ten `migrate up` processes at once on 20 pending migrations: each applied exactly once, all exit 0', async () => {
    const { url, client, files } = await freshDatabase();
    await client.query(
      'create table applied_log (version text primary key, at timestamptz default clock_timestamp())',
    );
    for (let i = 1; i <= 20; i++) {
      const version = `2026020100${String(i).padStart(4, '0')}`;
      files.write(`${version}_step_${i}`, {
        up: `create table step_${i} (id int);\ninsert into applied_log (version) values ('${version}');\nselect pg_sleep(0.02);`,
        down: `drop table step_${i};`,
      });
    }
    const runs = await Promise.all(
      Array.from({ length: 10 }, () =>
        spawnTenonAndWait(['migrate', 'up', '--dir', files.dir, '--json'], { env: { DATABASE_URL: url } }),
      ),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const applied = runs.map(
      (run) => (JSON.parse(run.stdout) as { migrations: unknown[] }).migrations.length,
    );
    expect(applied.reduce((a, b) => a + b, 0)).toBe(20);
    const log = await client.query<{ n: string; d: string }>(
      'select count(*)::text as n, count(distinct version)::text as d from applied_log',
    );
    expect(log.rows[0]).toEqual({ n: '20', d: '20' });
    const history = await client.query<{ n: string }>(
      `select count(*)::text as n from tenon_migrations where state = 'applied'`,
    );
    expect(history.rows[0]?.n).toBe('20');
    await client.end();
  }, 120_000);

  it('2. kill -9 during a long migration: nothing of it remains, the lock is gone, the next run starts at once', async () => {
    const { url, client, files } = await freshDatabase();
    files.write('20260301000001_first', { up: 'create table first (id int);', down: 'drop table first;' });
    const slow = files.write('20260301000002_slow', {
      up: 'create table slept (id int);\nselect pg_sleep(60);',
      down: 'drop table slept;',
    });
    const child = spawnTenon(['migrate', 'up', '--dir', files.dir], { env: { DATABASE_URL: url } });
    const pid = await waitFor('the migration to reach pg_sleep', async () => {
      const { rows } = await client.query<{ pid: number }>(
        `select pid from pg_stat_activity where query like '%pg_sleep(60)%' and application_name like 'tenon migrate (pid %' and state = 'active'`,
      );
      return rows[0]?.pid;
    });
    child.kill('SIGKILL');
    await once(child, 'exit');
    // client_connection_check_interval makes the backend notice its dead client within about a second.
    await waitFor(
      'the killed runner’s backend to end',
      async () => {
        const { rows } = await client.query('select 1 from pg_stat_activity where pid = $1', [pid]);
        return rows.length === 0 ? true : undefined;
      },
      10_000,
    );
    // Only this test's database: other test files hold advisory locks of their own at the same time.
    const { rows: locks } = await client.query(
      `select 1 from pg_locks l join pg_database d on d.oid = l.database
        where l.locktype = 'advisory' and d.datname = current_database()`,
    );
    expect(locks).toEqual([]);
    const { rows: tables } = await client.query(
      `select to_regclass('slept') as t, to_regclass('first') as f`,
    );
    expect(tables[0]).toEqual({ t: null, f: 'first' });
    const { rows: history } = await client.query('select version from tenon_migrations order by 1');
    expect(history).toEqual([{ version: '20260301000001' }]);

    writeFileSync(slow, readFileSync(slow, 'utf8').replace('pg_sleep(60)', 'pg_sleep(0)'));
    const next = await spawnTenonAndWait(['migrate', 'up', '--dir', files.dir, '--lock-wait', '2s'], {
      env: { DATABASE_URL: url },
    });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toContain('waiting');
    expect(next.stdout).toContain('20260301000002');
    await client.end();
  });

  it('3. a migration failing in its 3rd statement: nothing of it remains; the error names file, statement, line, message, hint', async () => {
    const { url, client, files } = await freshDatabase();
    files.write('20260401000001_profiles', {
      up: "create table profiles (id int primary key, handle text);\ninsert into profiles values (1, 'ann');\nupdate profiles\n   set handle = upper(handel);",
      down: 'drop table profiles;',
    });
    const run = await runTenon(['migrate', 'up', '--dir', files.dir], { env: { DATABASE_URL: url } });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('TENON_MIGRATE_STATEMENT_FAILED');
    expect(run.stderr).toContain('20260401000001_profiles.sql:5:23: statement 3 of 3 (up) failed');
    expect(run.stderr).toContain('column "handel" does not exist');
    expect(run.stderr).toContain('Nothing of this migration remains');
    expect(run.stderr).toMatch(
      /hint: PostgreSQL: Perhaps you meant to reference the column "profiles.handle"/,
    );
    const { rows } = await client.query(
      `select to_regclass('profiles') as t, (select count(*)::int from tenon_migrations) as n`,
    );
    expect(rows[0]).toEqual({ t: null, n: 0 });
    await client.end();
  });

  it('4. a table held ACCESS EXCLUSIVE elsewhere: the migration gives up after lock_timeout and retries; readers of other tables never wait', async () => {
    const { url, client, files } = await freshDatabase();
    await client.query(
      'create table orders (id int); create table customers (id int); insert into customers values (1)',
    );
    files.write('20260501000001_orders_note', {
      up: 'alter table orders add column note text;',
      down: 'alter table orders drop column note;',
    });
    const blocker = new pg.Client({ connectionString: url, application_name: 'long report' });
    const reader = new pg.Client({ connectionString: url });
    await Promise.all([blocker.connect(), reader.connect()]);
    await blocker.query('begin; lock table orders in access exclusive mode');
    // A reader that waits for any lock longer than 100 ms fails: it must never have to.
    await reader.query(`set lock_timeout = '100ms'`);
    let reading = true;
    let reads = 0;
    const readerLoop = (async () => {
      while (reading) {
        await reader.query('select count(*) from customers');
        reads++;
        await sleep(10);
      }
    })();
    const retries: number[] = [];
    const migrator = new Migrator({
      databaseUrl: url,
      dir: files.dir,
      lockTimeout: '150ms',
      lockRetries: 2,
      onEvent: (e) => {
        if (e.type === 'retry') retries.push(e.attempt);
      },
    });
    const error = await tenonFailure(migrator.up());
    expect(error.code).toBe('TENON_MIGRATE_LOCK_RETRIES_EXHAUSTED');
    expect(retries).toEqual([1, 2]);
    expect(error.message).toContain(
      '20260501000001_orders_note.sql: statement 1 (line 2) waited longer than lock_timeout (150ms) on each of 3 attempts',
    );
    expect(error.message).toMatch(
      /pid \d+ "long report" holds AccessExclusiveLock on orders \(idle in transaction/,
    );
    expect(error.message).toContain('Nothing of this migration remains');
    expect(error.details).toMatchObject({ attempts: 3 });
    const { rows } = await client.query(
      `select count(*)::int as n from information_schema.columns where table_name = 'orders' and column_name = 'note'`,
    );
    expect(rows[0]?.n).toBe(0);

    // Released during the retries, the same migration goes through.
    const patient = new Migrator({
      databaseUrl: url,
      dir: files.dir,
      lockTimeout: '150ms',
      lockRetries: 8,
      onEvent: (e) => {
        if (e.type === 'retry' && e.attempt === 1) void blocker.query('rollback');
      },
    });
    const result = await patient.up();
    expect(result.migrations[0]).toMatchObject({ status: 'applied' });
    expect(result.migrations[0]?.retries).toBeGreaterThanOrEqual(1);
    reading = false;
    await readerLoop;
    expect(reads).toBeGreaterThan(0);
    await Promise.all([migrator.close(), patient.close(), blocker.end(), reader.end(), client.end()]);
  });

  it('5. CREATE INDEX CONCURRENTLY on 1M rows runs outside a transaction; a failing unique one is dirty and its invalid index reported', async () => {
    const { url, client, files } = await freshDatabase();
    await client.query(
      'create table big as select g as id, g % 1000 as grp from generate_series(1, 1000000) g',
    );
    files.write('20260601000001_big_grp', {
      up: 'create index concurrently big_grp on big (grp);',
      down: 'drop index concurrently big_grp;',
    });
    const unique = files.write('20260601000002_big_grp_unique', {
      up: '-- one row per group (wrong: groups repeat)\ncreate unique index concurrently big_grp_unique on big (grp);',
      down: 'drop index concurrently big_grp_unique;',
    });
    const done: string[] = [];
    const migrator = new Migrator({
      databaseUrl: url,
      dir: files.dir,
      onEvent: (e) => {
        if (e.type === 'migration-done')
          done.push(`${e.migration.version}:${e.migration.status}:${e.migration.transactional}`);
      },
    });
    const error = await tenonFailure(migrator.up());
    expect(done).toEqual(['20260601000001:applied:false']);
    expect(error.code).toBe('TENON_MIGRATE_STATEMENT_FAILED');
    expect(error.details).toMatchObject({ sqlState: '23505', statement: 1, line: 3 });
    expect(error.message).toContain('could not create unique index "big_grp_unique"');
    expect(error.message).toContain('INVALID indexes: public.big_grp_unique on big');
    expect(error.hint).toContain('DROP INDEX CONCURRENTLY IF EXISTS public.big_grp_unique;');

    const status = await runTenon(['migrate', 'status', '--dir', files.dir], { env: { DATABASE_URL: url } });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      /20260601000002\s+big_grp_unique\s+dirty: 0\/1 done; statement 1 of 1 failed/,
    );
    expect(status.stdout).toContain(
      'INVALID indexes (a failed CREATE INDEX CONCURRENTLY, or one being built now): public.big_grp_unique on big',
    );
    const json = await runTenon(['migrate', 'status', '--dir', files.dir, '--json'], {
      env: { DATABASE_URL: url },
    });
    const doc = JSON.parse(json.stdout) as { invalidIndexes: unknown[]; migrations: { state: string }[] };
    expect(doc.invalidIndexes).toEqual([{ schema: 'public', name: 'big_grp_unique', table: 'big' }]);
    expect(doc.migrations.map((m) => m.state)).toEqual(['applied', 'dirty']);
    const refused = await runTenon(['migrate', 'up', '--dir', files.dir], { env: { DATABASE_URL: url } });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('TENON_MIGRATE_DIRTY');

    // The human drops the invalid index, fixes the file, and retries.
    await client.query('drop index concurrently big_grp_unique');
    writeFileSync(unique, readFileSync(unique, 'utf8').replace('(grp)', '(grp, id)'));
    const repair = await runTenon(['migrate', 'repair', '--retry', '--dir', files.dir], {
      env: { DATABASE_URL: url },
    });
    expect(repair.code, repair.stderr).toBe(0);
    const retried = await runTenon(['migrate', 'up', '--dir', files.dir, '--json'], {
      env: { DATABASE_URL: url },
    });
    expect(retried.code, retried.stderr).toBe(0);
    expect(JSON.parse(retried.stdout).migrations[0]).toMatchObject({
      version: '20260601000002',
      status: 'applied',
      resumedAt: 1,
    });
    const after = await migrator.status();
    expect(after.invalidIndexes).toEqual([]);
    expect(after.migrations.map((m) => m.state)).toEqual(['applied', 'applied']);
    await migrator.close();
    await client.end();
  });

  it('6. editing an applied file is caught by verify (exit 1); line endings alone are not', async () => {
    const { url, client, files } = await freshDatabase();
    const path = files.write('20260701000001_accounts', {
      up: 'create table accounts (id int);',
      down: 'drop table accounts;',
    });
    expect((await runTenon(['migrate', 'up', '--dir', files.dir], { env: { DATABASE_URL: url } })).code).toBe(
      0,
    );
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, original.replace(/\n/g, '\r\n'));
    const clean = await runTenon(['migrate', 'verify', '--dir', files.dir], { env: { DATABASE_URL: url } });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('OK: 1 applied migration matches its file; 0 pending.');
    writeFileSync(path, original.replace('(id int)', '(id bigint)'));
    const drift = await runTenon(['migrate', 'verify', '--dir', files.dir], { env: { DATABASE_URL: url } });
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatch(
      /20260701000001\s+accounts\s+changed\s+20260701000001_accounts\.sql was edited after it was applied/,
    );
    expect(drift.stderr).toContain('TENON_MIGRATE_DRIFT');
    await client.end();
  });
});
