import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../src/core/db/connect.js';
import type { Database } from '../../../src/core/db/database.js';
import { isTenonError, type TenonError } from '../../../src/core/errors.js';
import { type LintResult, lintMigrations, Migrator } from '../../../src/migrate/index.js';
import { createTempDatabase, requirePostgres, type TempDatabase } from '../../support/services.js';
import { migrationDir } from '../support.js';
import { migrationText } from './support.js';

const pg = await requirePostgres();

/** Live tables: `small` (10 rows), `big` (1,000,001 rows), `idle` (rows, never read or written since stats reset). */
async function seed(db: Database, bigRows: number): Promise<void> {
  await db.exec(`
    create table small (id bigint primary key, code varchar(20), email text);
    insert into small select g, 'c' || g, 'u' || g || '@x' from generate_series(1, 10) g;
    create table big (id int primary key, code varchar(20), email text);
    insert into big select g, 'c' || g, null from generate_series(1, ${bigRows}) g;
    alter table small add constraint small_email_nn check (email is not null);
    create function make_code() returns text language sql volatile as $$ select md5(random()::text) $$;
    create function fixed_code() returns text language sql immutable as $$ select 'x' $$;
    analyze small; analyze big;
    select count(*) from small; select count(*) from big;
  `);
}

describe.each([
  { kind: 'postgres' as const, skip: !pg.available, bigRows: 1_000_001 },
  // PGlite: the same rules, on a smaller table and lower thresholds (the embedded database is for development).
  { kind: 'pglite' as const, skip: false, bigRows: 20_000 },
])('lint with a live database ($kind)', ({ kind, skip, bigRows }) => {
  let temp: TempDatabase | undefined;
  let db: Database;
  const thresholds = kind === 'pglite' ? { smallRows: 100, largeRows: 10_000 } : undefined;
  const lint = (sql: string) =>
    lintMigrations({ db, thresholds, sources: [{ file: '20260101000000_x.sql', text: migrationText(sql) }] });

  beforeAll(async () => {
    if (skip) return;
    temp = kind === 'postgres' ? await createTempDatabase() : undefined;
    db = await connect({ databaseUrl: temp?.url ?? 'pglite://memory' });
    await seed(db, bigRows);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await temp?.drop();
  });

  it.skipIf(skip)(
    'a rewrite of a 10-row table is info, of a big one an error, with the figures',
    async () => {
      const result = await lintMigrations({
        db,
        thresholds,
        sources: [
          {
            file: 'x.sql',
            text: migrationText(
              'alter table small add column token uuid default gen_random_uuid();\nalter table big add column token uuid default gen_random_uuid();',
            ),
          },
        ],
      });
      const rewrites = result.findings.filter((f) => f.rule === 'add-column-rewrite');
      expect(rewrites.map((f) => [f.table, f.severity])).toEqual([
        ['public.small', 'info'],
        ['public.big', 'error'],
      ]);
      expect(rewrites[1]!.tableFacts).toMatch(
        /^public\.big: [\d.]+[kM]? rows, [\d.]+ [kMG]B, \d+ scans and [\d.]+[kM]? writes since the statistics were reset$/,
      );
      expect(result).toMatchObject({
        live: true,
        serverVersionFrom: 'database',
        serverVersion: db.serverVersion,
      });
    },
  );

  it.skipIf(skip)(
    'column types come from the catalog: widening varchar passes, int → bigint rewrites',
    async () => {
      const widen = await lint('alter table big alter column code type text;');
      expect(widen.findings.filter((f) => f.rule === 'change-column-type')).toEqual([]);
      const rewrite = await lint('alter table big alter column id type bigint;');
      expect(rewrite.findings.filter((f) => f.rule === 'change-column-type').map((f) => f.severity)).toEqual([
        'error',
      ]);
      expect(rewrite.findings.find((f) => f.rule === 'change-column-type')!.message).toContain(
        'integer → bigint',
      );
    },
  );

  it.skipIf(skip)('a validated CHECK (col IS NOT NULL) in the database lets SET NOT NULL pass', async () => {
    expect((await lint('alter table small alter column email set not null;')).findings).toEqual([]);
    const big = await lint('alter table big alter column email set not null;');
    expect(big.findings.map((f) => f.rule)).toEqual(['set-not-null']);
  });

  it.skipIf(skip)("a function's volatility comes from pg_proc", async () => {
    const volatile = await lint('alter table big add column c text default make_code();');
    expect(volatile.findings.map((f) => [f.rule, f.severity])).toEqual([['add-column-rewrite', 'error']]);
    const immutable = await lint('alter table big add column c text default fixed_code();');
    expect(immutable.findings).toEqual([]);
  });

  it.skipIf(skip)(
    'a drop on a table nobody used since the statistics were reset is info; on a used one a warning',
    async () => {
      // A backend sends its statistics lazily (at most once a second); forcing the flush on the
      // session that wrote makes the reset below clear them, and the scan of `small` count.
      const flushed = (sql: string) =>
        db.withSession(async (s) => {
          await s.exec(sql);
          await s.query('select pg_stat_force_next_flush()');
          await s.query('select 1');
        });
      await flushed(
        'create table unused (id bigint, x int); insert into unused select g, g from generate_series(1, 100) g; analyze unused;',
      );
      await db.query('select pg_stat_reset()');
      await flushed('select count(*) from small');
      const unused = await lint('alter table unused drop column x;');
      expect(unused.findings.map((f) => [f.table, f.severity])).toEqual([['public.unused', 'info']]);
      expect(unused.findings[0]!.tableFacts).toContain('0 scans and 0 writes');
      const used = await lint('alter table small drop column code;');
      expect(used.findings.map((f) => [f.table, f.severity])).toEqual([['public.small', 'warning']]);
      const nowhere = await lint('alter table nowhere drop column id;');
      expect(nowhere.findings.map((f) => [f.table, f.severity, f.tableFacts])).toEqual([
        ['public.nowhere', 'warning', undefined],
      ]);
    },
  );
});

describe.skipIf(!pg.available)('Migrator: lint of the pending migrations, and up lints first', () => {
  let temp: TempDatabase;
  let db: Database;
  const dir = migrationDir();

  beforeAll(async () => {
    temp = await createTempDatabase();
    db = await connect({ databaseUrl: temp.url });
    await db.exec(
      'create table accounts (id bigint primary key, name text); insert into accounts select g, g::text from generate_series(1, 50000) g; analyze accounts;',
    );
    dir.write('20260101000001_create_orders', {
      up: 'create table orders (id bigint primary key, account_id bigint, total int);',
      down: 'drop table orders;',
    });
    dir.write('20260101000002_index_orders', {
      up: 'create index orders_account on orders (account_id);',
      down: '',
    });
    dir.write('20260101000003_accounts', {
      up: 'alter table accounts add column token uuid default gen_random_uuid();',
      down: 'alter table accounts drop column token;',
    });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await temp?.drop();
    dir.remove();
  });

  it('lints the pending migrations against the live catalog: new tables pass, live ones are weighed', async () => {
    const migrator = new Migrator({ databaseUrl: temp.url, dir: dir.dir });
    try {
      const result = await migrator.lint();
      expect(result.scope).toBe('pending');
      expect(result.linted.map((f) => f.split('/').pop())).toEqual([
        '20260101000001_create_orders.sql',
        '20260101000002_index_orders.sql',
        '20260101000003_accounts.sql',
      ]);
      expect(result.findings.map((f) => [f.rule, f.table, f.severity])).toEqual([
        ['prefer-bigint', undefined, 'info'],
        ['add-column-rewrite', 'public.accounts', 'warning'],
      ]);
    } finally {
      await migrator.close();
    }
  });

  it('up with lintOnUp error refuses before applying anything; warn reports and applies', async () => {
    const strict = new Migrator({
      databaseUrl: temp.url,
      dir: dir.dir,
      lintOnUp: 'error',
      lintFailOn: 'warning',
    });
    let error: unknown;
    try {
      await strict.up();
    } catch (e) {
      error = e;
    } finally {
      await strict.close();
    }
    expect(isTenonError(error, 'TENON_MIGRATE_LINT_FAILED')).toBe(true);
    expect((error as Error).message).toContain('20260101000003_accounts.sql:2:');
    const { rows } = await db.query(`select to_regclass('public.orders') as t`);
    expect(rows[0]).toEqual({ t: null });

    const events: unknown[] = [];
    const warn = new Migrator({
      databaseUrl: temp.url,
      dir: dir.dir,
      onEvent: (e) => {
        if (e.type === 'lint') events.push(e.result);
      },
    });
    try {
      const result = await warn.up({ to: '20260101000002' });
      expect(result.migrations.map((m) => m.status)).toEqual(['applied', 'applied']);
      expect(result.lint?.findings.map((f) => f.rule)).toEqual(['prefer-bigint']);
      expect(events).toHaveLength(1);
      // Now only 000003 is pending: lint sees orders as live (and small), accounts as live.
      const pending = await warn.lint();
      expect(pending.linted.map((f) => f.split('/').pop())).toEqual(['20260101000003_accounts.sql']);
    } finally {
      await warn.close();
    }

    const off = new Migrator({ databaseUrl: temp.url, dir: dir.dir, lintOnUp: 'off' });
    try {
      const result = await off.up();
      expect(result.lint).toBeUndefined();
    } finally {
      await off.close();
    }
  });

  it('up in warn mode reads the catalog before the first migration and reports the findings when one fails', async () => {
    // The rules run while the migrations do (docs/migrate.md#up-lints-first); the sizes they weigh
    // are those from before the run, so a table the set creates stays new for them.
    const later = migrationDir();
    later.write('20260201000001_create_invoices', {
      up: 'create table invoices (id bigint primary key, total int);',
    });
    later.write('20260201000002_invoices_token', {
      up: 'alter table invoices add column token uuid default gen_random_uuid();',
    });
    later.write('20260201000003_broken', { up: 'insert into no_such_table values (1);' });
    const seen: string[] = [];
    let lint: LintResult | undefined;
    const migrator = new Migrator({
      databaseUrl: temp.url,
      dir: later.dir,
      table: 'tenon_migrations_warn',
      onEvent: (e) => {
        if (e.type === 'lint') lint = e.result;
        if (e.type === 'lint' || e.type === 'migration-done') seen.push(e.type);
      },
    });
    let error: unknown;
    try {
      await migrator.up();
    } catch (e) {
      error = e;
    } finally {
      await migrator.close();
      later.remove();
    }
    expect(isTenonError(error, 'TENON_MIGRATE_STATEMENT_FAILED')).toBe(true);
    expect(((error as TenonError).details.completed as unknown[]).length).toBe(2);
    expect(seen.filter((t) => t === 'lint')).toHaveLength(1);
    expect(lint?.findings.map((f) => [f.rule, f.file.split('/').pop()])).toEqual([
      ['prefer-bigint', '20260201000001_create_invoices.sql'],
    ]);
    expect(lint?.suppressed).toContainEqual(
      expect.objectContaining({ rule: 'add-column-rewrite', reason: 'new-table' }),
    );
    const { rows } = await db.query(`select count(*)::int as n from public.tenon_migrations_warn`);
    expect(rows[0]).toEqual({ n: 2 });
  });
});
