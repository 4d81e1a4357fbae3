import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MigrationResult } from '../../src/migrate/index.js';
import { requirePostgres } from '../support/services.js';
import { tenonFailure } from '../support/tenon-failure.js';
import { publicTables, useMigrateTarget, writeSteps } from './support.js';

const pg = await requirePostgres();

/**
 * One behaviour suite for both databases: everything here must hold on
 * PGlite and on the server PostgreSQL alike.
 */
describe.each([
  { kind: 'pglite' as const, skip: false, reason: '' },
  { kind: 'postgres' as const, skip: !pg.available, reason: pg.reason },
])('Migrator on $kind', ({ kind, skip }) => {
  // With the URL too, a dry run's shadow is a temporary database on the server, as from the CLI.
  const t = useMigrateTarget({
    kind,
    skip,
    perTest: true,
    migratorDefaults: (target) => ({ ...(target.url ? { databaseUrl: target.url } : {}), lockTimeout: '2s' }),
  });
  const migrator = t.migrator;

  it.skipIf(skip)('applies pending migrations once, in order, each recorded with its checksum', async () => {
    writeSteps(t.files, 3);
    const events: string[] = [];
    const m = migrator({
      onEvent: (e) => {
        if (e.type === 'migration-done') events.push(`${e.migration.version}:${e.migration.status}`);
      },
    });
    const result = await m.up();
    expect(result.migrations.map((r) => [r.version, r.status, r.transactional])).toEqual([
      ['20260101000001', 'applied', true],
      ['20260101000002', 'applied', true],
      ['20260101000003', 'applied', true],
    ]);
    expect(events).toEqual(['20260101000001:applied', '20260101000002:applied', '20260101000003:applied']);
    expect(await publicTables(t.db)).toEqual(['step_1', 'step_2', 'step_3', 'tenon_migrations']);
    const status = await m.status();
    expect(status.migrations.map((s) => s.state)).toEqual(['applied', 'applied', 'applied']);
    expect(status.migrations[0]?.checksum).toBe(status.migrations[0]?.fileChecksum);
    expect(status.lock.key).toMatch(/^-?\d+$/);
    expect(status.lock.holder).toBeNull();
    expect((await m.up()).migrations).toEqual([]);
  });

  it.skipIf(skip)('stops at --to and rejects an unknown version', async () => {
    writeSteps(t.files, 3);
    const m = migrator();
    expect((await m.up({ to: '20260101000002' })).migrations.map((r) => r.version)).toEqual([
      '20260101000001',
      '20260101000002',
    ]);
    expect((await tenonFailure(m.up({ to: '20260101000009' }))).code).toBe('TENON_MIGRATE_UNKNOWN_VERSION');
  });

  it.skipIf(skip)(
    'a failing 3rd statement leaves nothing of its migration and names file, statement, line, hint',
    async () => {
      writeSteps(t.files, 1);
      t.files.write('20260101000002_broken', {
        up: "create table t (name text);\ninsert into t values ('a');\nselect nam\n  from t;",
        down: 'drop table t;',
      });
      const error = await tenonFailure(migrator().up());
      expect(error.code).toBe('TENON_MIGRATE_STATEMENT_FAILED');
      expect(error.message).toContain('20260101000002_broken.sql:4:8: statement 3 of 3 (up) failed');
      expect(error.message).toContain('column "nam" does not exist');
      expect(error.message).toContain('Nothing of this migration remains');
      expect(error.hint).toMatch(/PostgreSQL: Perhaps you meant to reference the column "t.name"/);
      expect(error.details).toMatchObject({
        file: '20260101000002_broken.sql',
        statement: 3,
        line: 4,
        sqlState: '42703',
      });
      expect((error.details.completed as MigrationResult[]).map((r) => r.version)).toEqual([
        '20260101000001',
      ]);
      expect(await publicTables(t.db)).toEqual(['step_1', 'tenon_migrations']);
      const status = await migrator().status();
      expect(status.migrations.map((s) => s.state)).toEqual(['applied', 'pending']);
    },
  );

  it.skipIf(skip)(
    'one round trip per migration, and still the failing statement named when PostgreSQL gives no position',
    async () => {
      t.files.write('20260101000001_dup', {
        up: 'create table d (id int primary key); -- a trailing comment\ninsert into d values (1); /* c */\ninsert into d values (1);\ninsert into d values (2);',
        down: 'drop table d;',
      });
      const error = await tenonFailure(migrator().up());
      expect(error.message).toContain(
        '20260101000001_dup.sql:4:1: statement 3 of 4 (up) failed: duplicate key value',
      );
      expect(error.details).toMatchObject({
        statement: 3,
        sqlState: '23505',
        detail: 'Key (id)=(1) already exists.',
      });
      expect(error.message).toContain('DETAIL: Key (id)=(1) already exists.');
      t.files.write('20260101000001_dup', {
        up: 'create table d (id int primary key); -- a comment must not hide the next statement\ninsert into d values (1);',
        down: 'drop table d;',
      });
      await migrator().up();
      const { rows } = await t.db.query<{ n: number }>('select count(*)::int as n from d');
      expect(rows[0]?.n).toBe(1);
    },
  );

  it.skipIf(skip)('a failure in the middle of a run keeps the migrations before it and stops', async () => {
    writeSteps(t.files, 5);
    t.files.write('20260101000006_bad', {
      up: 'create table six (id int);\ninsert into six values (1/0);',
      down: 'drop table six;',
    });
    writeSteps(t.files, 2, 7);
    const done: string[] = [];
    const m = migrator({
      onEvent: (e) => {
        if (e.type === 'migration-done') done.push(e.migration.version);
      },
    });
    const error = await tenonFailure(m.up());
    expect(error.message).toContain(
      '20260101000006_bad.sql:3:1: statement 2 of 2 (up) failed: division by zero',
    );
    expect(done).toEqual([
      '20260101000001',
      '20260101000002',
      '20260101000003',
      '20260101000004',
      '20260101000005',
    ]);
    expect((error.details.completed as MigrationResult[]).map((r) => r.version)).toEqual(done);
    const status = await m.status();
    expect(status.migrations.map((s) => s.state)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
      'applied',
      'pending',
      'pending',
      'pending',
    ]);
    expect(await publicTables(t.db)).not.toContain('six');
    t.files.write('20260101000006_bad', { up: 'create table six (id int);', down: 'drop table six;' });
    expect((await m.up()).migrations.map((r) => r.version)).toEqual([
      '20260101000006',
      '20260101000007',
      '20260101000008',
    ]);
  });

  it.skipIf(skip)(
    'a deferred constraint failing at COMMIT is reported as the commit, nothing applied',
    async () => {
      t.files.write('20260101000001_deferred', {
        up: 'create table p (id int primary key);\ncreate table c (p int references p deferrable initially deferred);\ninsert into c values (42);',
        down: 'drop table c; drop table p;',
      });
      const error = await tenonFailure(migrator().up());
      expect(error.code).toBe('TENON_MIGRATE_STATEMENT_FAILED');
      expect(error.message).toContain(
        '20260101000001_deferred.sql: COMMIT after statement 3 failed: insert or update on table "c" violates foreign key constraint',
      );
      expect(await publicTables(t.db)).toEqual(['tenon_migrations']);
    },
  );

  it.skipIf(skip)('rejects bad files before running anything', async () => {
    writeSteps(t.files, 1);
    const bad = t.files.write('20260101000002_bad', {
      up: 'create table ok (id int);\ncreate tabel nope (id int);',
      down: '',
    });
    let error = await tenonFailure(migrator().up());
    expect(error.code).toBe('TENON_SQL_PARSE_FAILED');
    expect(error.message).toContain('20260101000002_bad.sql:3:8');
    expect(error.details).toMatchObject({ file: '20260101000002_bad.sql', line: 3, column: 8 });
    expect(await publicTables(t.db)).toEqual([]);

    writeFileSync(bad, '-- migrate:up\ncreate table ok (id int);\nBEGIN;\n-- migrate:down\n');
    error = await tenonFailure(migrator().up());
    expect(error.code).toBe('TENON_MIGRATE_TRANSACTION_CONTROL');
    expect(error.message).toContain('20260101000002_bad.sql:3:1: BEGIN is not allowed');

    writeFileSync(bad, 'create table ok (id int);\n');
    expect((await tenonFailure(migrator().up())).code).toBe('TENON_MIGRATE_FILE_INVALID');

    writeFileSync(bad, '-- migrate:up\n-- nothing yet\n-- migrate:down\n');
    expect((await tenonFailure(migrator().up())).message).toContain('the up section has no statements');

    rmSync(bad);
    t.files.write('20260101000001_dup', { up: 'select 1;', down: '' });
    error = await tenonFailure(migrator().up());
    expect(error.code).toBe('TENON_MIGRATE_DUPLICATE_VERSION');
    expect(error.message).toContain('20260101000001 (20260101000001_dup.sql, 20260101000001_step_1.sql)');
    expect(await publicTables(t.db)).toEqual([]);
  });

  it.skipIf(skip)('rolls back with down: --steps, --to, newest applied first', async () => {
    writeSteps(t.files, 4);
    const m = migrator();
    await m.up();
    expect((await m.down()).migrations.map((r) => [r.version, r.status])).toEqual([
      ['20260101000004', 'reverted'],
    ]);
    expect((await m.down({ steps: 2 })).migrations.map((r) => r.version)).toEqual([
      '20260101000003',
      '20260101000002',
    ]);
    await m.up();
    expect((await m.down({ to: '20260101000001' })).migrations.map((r) => r.version)).toEqual([
      '20260101000004',
      '20260101000003',
      '20260101000002',
    ]);
    expect(await publicTables(t.db)).toEqual(['step_1', 'tenon_migrations']);
    await m.down({ to: '0' });
    expect(await publicTables(t.db)).toEqual(['tenon_migrations']);
    expect((await m.down()).migrations).toEqual([]);
  });

  it.skipIf(skip)('refuses an irreversible rollback before doing anything', async () => {
    writeSteps(t.files, 1);
    t.files.write('20260101000002_keep', { up: 'create table keep (id int);', down: '' });
    t.files.write('20260101000003_nodown', { up: 'create table nodown (id int);' });
    t.files.write('20260101000004_last', { up: 'create table last (id int);', down: 'drop table last;' });
    const m = migrator();
    await m.up();
    const error = await tenonFailure(m.down({ steps: 3 }));
    expect(error.code).toBe('TENON_MIGRATE_IRREVERSIBLE');
    expect(error.message).toContain('20260101000003_nodown.sql: no "-- migrate:down" section');
    expect(error.message).toContain('20260101000002_keep.sql: the down section is empty (irreversible)');
    expect(error.hint).toMatch(/empty down section marks.*without a "-- migrate:down" section/s);
    expect(await publicTables(t.db)).toEqual(['keep', 'last', 'nodown', 'step_1', 'tenon_migrations']);
  });

  it.skipIf(skip)('dry run: shows each statement, runs on a shadow, changes nothing', async () => {
    writeSteps(t.files, 1);
    t.files.write('20260101000002_two', {
      up: "alter table step_1 add column name text;\ninsert into step_1 values (1, 'a');",
      down: 'alter table step_1 drop column name;',
    });
    const m = migrator();
    const dry = await m.up({ dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.migrations.map((r) => r.status)).toEqual(['checked', 'checked']);
    expect((dry.migrations[1] as MigrationResult & { plan: unknown[] }).plan).toEqual([
      { index: 1, line: 2, sql: 'alter table step_1 add column name text', runs: 'transaction' },
      { index: 2, line: 3, sql: "insert into step_1 values (1, 'a')", runs: 'transaction' },
    ]);
    expect(await publicTables(t.db)).toEqual([]);

    t.files.write('20260101000003_fails', { up: "insert into step_1 values (1, 'dup');", down: '' });
    const failing = await m.up({ dryRun: true });
    expect(failing.migrations.map((r) => r.status)).toEqual(['checked', 'checked', 'failed']);
    expect(failing.migrations[2]?.error?.message).toContain('duplicate key value violates unique constraint');
    expect(await publicTables(t.db)).toEqual([]);

    await m.up({ to: '20260101000002' });
    const down = await m.down({ dryRun: true, steps: 2 });
    expect(down.migrations.map((r) => [r.version, r.status])).toEqual([
      ['20260101000002', 'checked'],
      ['20260101000001', 'checked'],
    ]);
    expect((await m.status()).counts).toMatchObject({ applied: 2, pending: 1 });
  });

  it.skipIf(skip)(
    "dry run gives the real run's verdict: an enum value added by one migration is usable by a later one; every pending migration is listed",
    async () => {
      t.files.write('20260101000001_mood', {
        up: "create type mood as enum ('ok');\ncreate table people (id int primary key, m mood not null default 'ok');\ninsert into people values (1), (2);",
        down: 'drop table people;\ndrop type mood;',
      });
      const m = migrator({ lintOnUp: 'off' });
      await m.up();
      t.files.write('20260101000002_happy', { up: "alter type mood add value 'happy';", down: '' });
      t.files.write('20260101000003_idx', {
        up: 'create index concurrently people_m on people (m);\nvacuum people;',
        down: 'drop index people_m;',
      });
      t.files.write('20260101000004_use', { up: "update people set m = 'happy' where id = 2;", down: '' });
      const dry = await m.up({ dryRun: true });
      const pending = (await m.status()).counts.pending;
      expect(pending).toBe(3);
      expect(dry.migrations).toHaveLength(pending);
      expect(dry.migrations.map((r) => [r.version, r.status])).toEqual([
        ['20260101000002', 'checked'],
        ['20260101000003', 'checked'],
        ['20260101000004', 'checked'],
      ]);
      expect(dry.shadow).toMatch(
        kind === 'pglite' ? /^in-memory copy of / : /^temporary database tenon_shadow_/,
      );
      const { rows } = await t.db.query<{ m: string }>('select m::text from people order by id');
      expect(rows.map((r) => r.m)).toEqual(['ok', 'ok']);

      // A failure stops the dry run where the real run stops; what comes after is listed as not run.
      // (A failure of the schema: a server shadow is a copy of the live schema, without its rows.)
      t.files.write('20260101000003_idx', {
        up: 'create index concurrently people_m on people (mood);\nvacuum people;',
        down: 'drop index people_m;',
      });
      const failing = await m.up({ dryRun: true });
      expect(failing.migrations.map((r) => [r.version, r.status])).toEqual([
        ['20260101000002', 'checked'],
        ['20260101000003', 'failed'],
        ['20260101000004', 'not-run'],
      ]);
      expect(failing.migrations[1]?.error?.message).toContain('column "mood" does not exist');
      expect((await m.status()).counts).toMatchObject({ applied: 1, pending: 3 });
    },
  );

  it.skipIf(skip)('refuses out-of-order pending migrations unless allowed', async () => {
    writeSteps(t.files, 1);
    writeSteps(t.files, 1, 3);
    await migrator().up();
    writeSteps(t.files, 1, 2);
    const status = await migrator().status();
    expect(status.migrations.map((s) => [s.version, s.state, s.outOfOrder])).toEqual([
      ['20260101000001', 'applied', false],
      ['20260101000002', 'pending', true],
      ['20260101000003', 'applied', false],
    ]);
    const error = await tenonFailure(migrator().up());
    expect(error.code).toBe('TENON_MIGRATE_OUT_OF_ORDER');
    expect(error.message).toContain('20260101000002_step_2.sql');
    const result = await migrator({ allowOutOfOrder: true }).up();
    expect(result.migrations.map((r) => r.version)).toEqual(['20260101000002']);
    expect(result.warnings[0]).toContain('applied out of order');
  });

  it.skipIf(skip)('verify: line endings and a BOM are not drift; edits and deleted files are', async () => {
    const [first, second] = writeSteps(t.files, 3).map((v, i) => `${t.files.dir}/${v}_step_${i + 1}.sql`);
    const m = migrator();
    await m.up();
    const text = readFileSync(first!, 'utf8');
    writeFileSync(first!, `\uFEFF${text.replace(/\n/g, '\r\n')}`);
    expect((await m.verify()).ok).toBe(true);
    writeFileSync(second!, text.replace('id int', 'id bigint'));
    rmSync(`${t.files.dir}/20260101000003_step_3.sql`);
    const result = await m.verify();
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.version, p.kind])).toEqual([
      ['20260101000002', 'changed'],
      ['20260101000003', 'missing'],
    ]);
    expect(result.migrations.map((s) => s.state)).toEqual(['applied', 'changed', 'missing']);
    const repaired = await m.repair({ updateChecksums: true, forgetMissing: true });
    expect(repaired.changes.map((c) => c.change)).toEqual(['checksum-updated', 'missing-forgotten']);
    expect((await m.verify()).ok).toBe(true);
  });

  it.skipIf(skip)('baseline records existing migrations without running them, once', async () => {
    writeSteps(t.files, 3);
    const m = migrator();
    const result = await m.baseline('20260101000002');
    expect(result.migrations.map((x) => x.version)).toEqual(['20260101000001', '20260101000002']);
    expect(await publicTables(t.db)).toEqual(['tenon_migrations']);
    const status = await m.status();
    expect(status.migrations.map((s) => s.state)).toEqual(['applied', 'applied', 'pending']);
    expect(status.migrations[0]?.appliedBy).toMatch(/\(baseline\)$/);
    expect((await tenonFailure(m.baseline('20260101000003'))).code).toBe('TENON_MIGRATE_BASELINE_REFUSED');
    expect((await tenonFailure(m.baseline('2026'))).code).toBe('TENON_MIGRATE_UNKNOWN_VERSION');
    expect((await m.up()).migrations.map((r) => r.version)).toEqual(['20260101000003']);
  });

  it.skipIf(skip)(
    'a failed non-transactional migration is dirty; up refuses; repair --retry resumes at the failed statement',
    async () => {
      t.files.write('20260101000001_vacuum', {
        up: 'create table v (id int primary key);\nvacuum v;\ninsert into v values (1), (1);\ninsert into v values (2);',
        down: 'drop table v;',
      });
      writeSteps(t.files, 1, 2);
      const m = migrator();
      const error = await tenonFailure(m.up());
      expect(error.code).toBe('TENON_MIGRATE_STATEMENT_FAILED');
      expect(error.message).toContain('20260101000001_vacuum.sql:4:1: statement 3 of 4 (up) failed');
      expect(error.message).toContain('statements 1–2 committed, statement 3 failed; it is marked dirty');
      expect(error.hint).toContain('tenon migrate repair --retry');
      let status = await m.status();
      expect(status.migrations[0]).toMatchObject({
        state: 'dirty',
        statementsDone: 2,
        statementsTotal: 4,
        resumable: false,
      });
      expect(status.migrations[0]?.error).toContain('statement 3 of 4 failed: duplicate key');

      const dirty = await tenonFailure(m.up());
      expect(dirty.code).toBe('TENON_MIGRATE_DIRTY');
      expect(dirty.message).toContain('20260101000001_vacuum.sql is dirty (2 of 4 statements committed)');
      expect((await tenonFailure(m.down())).code).toBe('TENON_MIGRATE_DIRTY');
      expect((await tenonFailure(m.repair())).code).toBe('TENON_MIGRATE_REPAIR_ACTION_REQUIRED');
      expect((await m.verify()).problems.map((p) => p.kind)).toEqual(['dirty']);

      t.files.write('20260101000001_vacuum', {
        up: 'create table v (id int primary key);\nvacuum v;\ninsert into v values (1);\ninsert into v values (2);',
        down: 'drop table v;',
      });
      expect((await m.repair({ action: 'retry' })).changes.map((c) => c.change)).toEqual([
        'released-for-retry',
      ]);
      status = await m.status();
      expect(status.migrations[0]).toMatchObject({ state: 'dirty', resumable: true });
      const dry = await m.up({ dryRun: true });
      // The dry run resumes it as up will: at statement 3, after the committed 1–2 (rebuilt on the shadow).
      expect(dry.migrations.map((r) => [r.version, r.status, r.statements, r.resumedAt])).toEqual([
        ['20260101000001', 'checked', 4, 3],
        ['20260101000002', 'checked', 1, undefined],
      ]);
      expect(dry.migrations[0]?.notes).toContain('resumed at statement 3 (released by repair --retry)');
      expect((dry.migrations[0] as { plan?: { index: number }[] }).plan?.map((s) => s.index)).toEqual([3, 4]);
      const resumed = await m.up();
      expect(resumed.migrations.map((r) => [r.version, r.status, r.resumedAt])).toEqual([
        ['20260101000001', 'applied', 3],
        ['20260101000002', 'applied', undefined],
      ]);
      const { rows } = await t.db.query<{ id: number }>('select id from v order by id');
      expect(rows.map((r) => r.id)).toEqual([1, 2]);
      expect((await m.verify()).ok).toBe(true);
    },
  );

  it.skipIf(skip)(
    'repair --applied and --forget resolve a dirty migration the human finished or undid',
    async () => {
      t.files.write('20260101000001_vac', {
        up: 'create table w (id int);\nvacuum w;\nselect 1/0;',
        down: 'drop table w;',
      });
      const m = migrator();
      await tenonFailure(m.up());
      expect((await m.repair({ action: 'applied' })).changes[0]?.change).toBe('marked-applied');
      expect((await m.status()).migrations[0]?.state).toBe('applied');
      await m.down();
      await tenonFailure(m.up());
      await t.db.exec('drop table w');
      expect((await m.repair({ action: 'forget' })).changes[0]?.change).toBe('forgotten');
      expect((await m.status()).migrations[0]?.state).toBe('pending');
      expect((await m.repair({ action: 'retry' })).changes).toEqual([]);
    },
  );

  it.skipIf(skip)(
    'a failed non-transactional rollback is dirty; it cannot be retried, only resolved by hand',
    async () => {
      t.files.write('20260101000001_rb', {
        up: 'create table rb (id int);',
        down: 'vacuum rb;\ndrop table nope;\ndrop table rb;',
      });
      const m = migrator();
      await m.up();
      const error = await tenonFailure(m.down());
      expect(error.message).toContain(
        '20260101000001_rb.sql:6:1: statement 2 of 3 (down) failed: table "nope" does not exist',
      );
      const status = await m.status();
      expect(status.migrations[0]).toMatchObject({ state: 'dirty', failedDown: true });
      expect(status.migrations[0]?.error).toMatch(/^down: statement 2 of 3 failed/);
      const dirty = await tenonFailure(m.up());
      expect(dirty.hint).toContain('repair --forget');
      expect((await tenonFailure(m.repair({ action: 'retry' }))).message).toContain(
        'failed while rolling back; it cannot be retried',
      );
      await t.db.exec('drop table rb');
      expect((await m.repair({ action: 'forget' })).changes[0]?.change).toBe('forgotten');
      expect((await m.status()).migrations[0]?.state).toBe('pending');
    },
  );

  it.skipIf(skip)('keeps the history in the schema and table it is told', async () => {
    writeSteps(t.files, 1);
    const m = migrator({ schema: 'ops', table: 'schema_history' });
    await m.up();
    const { rows } = await t.db.query<{ n: string }>('select count(*)::text as n from ops.schema_history');
    expect(rows[0]?.n).toBe('1');
    expect((await m.status()).table).toBe('ops.schema_history');
    await t.db.exec('create table public.not_history (version text)');
    const wrong = await tenonFailure(migrator({ table: 'not_history' }).status());
    expect(wrong.code).toBe('TENON_MIGRATE_HISTORY_INVALID');
  });

  it.skipIf(skip)(
    'CREATE INDEX CONCURRENTLY: outside a transaction on a server, without CONCURRENTLY on PGlite',
    async () => {
      t.files.write('20260101000001_idx', {
        up: 'create table items (id int, sku text);\n-- build it concurrently\ncreate index concurrently items_sku on items (sku);',
        down: 'drop index concurrently items_sku;\ndrop table items;',
      });
      const m = migrator();
      const dry = await m.up({ dryRun: true });
      const result = await m.up();
      const applied = result.migrations[0]!;
      if (kind === 'pglite') {
        expect(applied.transactional).toBe(true);
        expect(applied.notes).toEqual([
          'statement 2 (line 4): CREATE INDEX CONCURRENTLY runs without CONCURRENTLY on PGlite (one connection)',
        ]);
        expect(dry.migrations[0]?.status).toBe('checked');
      } else {
        expect(applied.transactional).toBe(false);
        expect(applied.notes[0]).toContain(
          'runs outside a transaction, statement by statement: statement 2 (line 4)',
        );
        expect(dry.migrations[0]).toMatchObject({ status: 'checked', transactional: false });
      }
      const { rows } = await t.db.query<{ indexname: string }>(
        `select indexname from pg_indexes where tablename = 'items'`,
      );
      expect(rows.map((r) => r.indexname)).toEqual(['items_sku']);
      expect((await m.down()).migrations[0]?.status).toBe('reverted');
      expect(await publicTables(t.db)).toEqual(['tenon_migrations']);
    },
  );
});
