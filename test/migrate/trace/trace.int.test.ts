import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'libpg-query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../src/core/db/connect.js';
import type { Database } from '../../../src/core/db/database.js';
import { lockStrength, Migrator, predictLocks, type TraceResult } from '../../../src/migrate/index.js';
import {
  createTempDatabase,
  requireCorpus,
  requirePostgres,
  type TempDatabase,
} from '../../support/services.js';
import { tenonFailure } from '../../support/tenon-failure.js';
import { migrationDir } from '../support.js';

const pg = await requirePostgres();
const corpus = requireCorpus('migrations/non-transactional');

const statement = (r: TraceResult, file: string, index: number) =>
  r.migrations.find((m) => m.file.includes(file))!.statements.find((s) => s.index === index)!;
const strongest = (locks: { target: string; mode: string }[], target: string) =>
  locks
    .filter((l) => l.target === target)
    .map((l) => l.mode)
    .sort((a, b) => lockStrength(b as never) - lockStrength(a as never))[0];

describe.skipIf(!corpus.available)(`trace of the non-transactional corpus ${corpus.reason}`, () => {
  it('on PGlite (no database): locks per statement, the enum lock, the failure of 000004; nothing created', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tenon-trace-'));
    const migrator = new Migrator({ dir: corpus.dir, cwd });
    try {
      const r = await migrator.trace();
      expect(r.shadow).toEqual({
        kind: 'pglite',
        source: 'empty',
        description: 'empty in-memory PGlite',
        replayed: 0,
      });
      expect(r.migrations.map((m) => m.status)).toEqual(['traced', 'traced', 'traced', 'failed', 'not-run']);
      // 000002: CONCURRENTLY is removed on PGlite, so the build holds SHARE until commit.
      const build = statement(r, '000002', 2);
      expect(build.rewritten).toContain('without CONCURRENTLY on PGlite');
      expect(strongest(build.locks, 'ows.mapinstances')).toBe('ShareLock');
      expect(statement(r, '000003', 1).locks).toContainEqual(
        expect.objectContaining({ target: 'type mood', mode: 'ExclusiveLock', heldUntil: 'commit' }),
      );
      // 000004 runs statement by statement: ADD COLUMN's lock ends with the statement.
      expect(statement(r, '000004', 1).locks).toContainEqual(
        expect.objectContaining({
          target: 'public.people',
          mode: 'AccessExclusiveLock',
          heldUntil: 'statement',
          newObject: false,
        }),
      );
      expect(statement(r, '000004', 2).error).toContain('could not create unique index "people_email_key"');
      expect(r.failed).toBe(true);
      expect(r.findings.map((f) => f.severity)).toEqual(['error']);
      expect(existsSync(join(cwd, '.tenon'))).toBe(false);
    } finally {
      await migrator.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);

  it.skipIf(!pg.available)(
    'on a server: a temporary database, a second session sees the concurrent build, then it is dropped',
    async () => {
      const temp = await createTempDatabase();
      const migrator = new Migrator({ databaseUrl: temp.url, dir: corpus.dir });
      try {
        const r = await migrator.trace();
        expect(r.shadow).toMatchObject({ kind: 'postgres', source: 'live-schema' });
        const build = statement(r, '000002', 2);
        expect(build.samples).toBeGreaterThan(0);
        expect(build.locks).toContainEqual(
          expect.objectContaining({
            target: 'ows.mapinstances',
            mode: 'ShareUpdateExclusiveLock',
            heldUntil: 'statement',
            observedBy: 'second-session',
          }),
        );
        expect(r.migrations.map((m) => m.status)).toEqual([
          'traced',
          'traced',
          'traced',
          'failed',
          'not-run',
        ]);
        const name = /tenon_shadow_[0-9a-f]+/.exec(r.shadow.description)![0];
        const admin = await connect({ databaseUrl: temp.url });
        try {
          const { rows } = await admin.query('select 1 from pg_database where datname = $1', [name]);
          expect(rows).toEqual([]);
          const tables = await admin.query(
            `select 1 from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`,
          );
          expect(tables.rows).toEqual([]);
        } finally {
          await admin.close();
        }
      } finally {
        await migrator.close();
        await temp.drop();
      }
    },
    120_000,
  );
});

describe.skipIf(!pg.available)('trace on a server with applied migrations and live sizes', () => {
  let temp: TempDatabase;
  let live: Database;
  const dir = migrationDir();

  beforeAll(async () => {
    temp = await createTempDatabase();
    dir.write('20260101000001_create', {
      up: 'create table big (id int primary key, note text); create table small (id int primary key, big_id int);',
      down: '',
    });
    const migrator = new Migrator({ databaseUrl: temp.url, dir: dir.dir, lintOnUp: 'off' });
    await migrator.up();
    await migrator.close();
    live = await connect({ databaseUrl: temp.url });
    await live.exec(
      'insert into big select g, null from generate_series(1, 5000) g; insert into small values (1, 1); analyze big; analyze small;',
    );
  }, 60_000);

  afterAll(async () => {
    await live?.close();
    await temp?.drop();
    dir.remove();
  });

  it('copies the live schema, finds rewrites by relfilenode, and errors on ACCESS EXCLUSIVE on a large table across a slow step', async () => {
    dir.write('20260101000002_change', {
      up: 'alter table big add column flag boolean not null default false;\nalter table big alter column id type bigint;\nupdate small set big_id = 2;',
      down: '',
    });
    const migrator = new Migrator({ databaseUrl: temp.url, dir: dir.dir, lintLargeTableRows: 1000 });
    try {
      const r = await migrator.trace();
      expect(r.shadow).toMatchObject({ kind: 'postgres', source: 'live-schema', replayed: 0 });
      expect(r.live).toBe(true);
      const [add, retype] = [statement(r, '000002', 1), statement(r, '000002', 2)];
      expect(add.rewrites).toEqual([]);
      expect(retype.rewrites.map((w) => [w.relation, w.kind])).toEqual(
        expect.arrayContaining([
          ['public.big', 'table'],
          ['public.big_pkey', 'index'],
        ]),
      );
      expect(retype.rewrites.find((w) => w.relation === 'public.big')!.rows).toBe(5000);
      expect(strongest(add.locks, 'public.big')).toBe('AccessExclusiveLock');
      expect(add.locks.find((l) => l.mode === 'AccessExclusiveLock')).toMatchObject({
        heldUntil: 'commit',
        newObject: false,
      });
      const error = r.findings.find((f) => f.severity === 'error');
      expect(error?.message).toMatch(
        /^ACCESS EXCLUSIVE on public\.big \(5000 rows, [\d.]+ MB\) is held until COMMIT across statement 2 \(line 3\), which rewrites public\.big \(5000 rows/,
      );
      // The live database is untouched: the change was only traced.
      const { rows } = await live.query(
        `select count(*)::int as n from information_schema.columns where table_name = 'big'`,
      );
      expect(rows[0]).toEqual({ n: 2 });
    } finally {
      await migrator.close();
    }
  }, 120_000);

  it('the static lock model (predictLocks) matches what pg_locks shows on PostgreSQL', async () => {
    const statements = [
      'alter table big add column c1 text',
      "alter table big add constraint big_note_check check (note <> '') not valid",
      'alter table big validate constraint big_note_check',
      'alter table small add constraint small_big_fk foreign key (big_id) references big (id) not valid',
      'create index small_big on small (big_id)',
      'alter table big set (fillfactor = 90)',
      'alter table big alter column note set statistics 200',
      'update small set big_id = 1',
      'truncate small',
      'vacuum full small',
    ];
    for (const [i, sql] of statements.entries())
      dir.write(`2026010200000${i}_s${i}`, { up: `${sql};`, down: '' });
    const migrator = new Migrator({ databaseUrl: temp.url, dir: dir.dir, lintOnUp: 'off' });
    try {
      const r = await migrator.trace({ shadow: 'server' });
      for (const [i, sql] of statements.entries()) {
        const traced = r.migrations.find((m) => m.file.startsWith(`2026010200000${i}`))!.statements[0]!;
        const tree = await parse(sql);
        const stmt = tree.stmts?.[0]?.stmt as unknown as Record<string, Record<string, unknown>>;
        const kind = Object.keys(stmt)[0]!;
        for (const predicted of predictLocks(kind, stmt[kind]!)) {
          const target = `public.${predicted.table.name}`;
          expect([sql, strongest(traced.locks, target)]).toEqual([sql, predicted.mode]);
        }
      }
    } finally {
      await migrator.close();
    }
  }, 120_000);
});

describe.skipIf(!pg.available)('trace of a DO block that commits, as up runs it', () => {
  it('traces a batched backfill of a statement-by-statement migration as applied, not "invalid transaction termination"', async () => {
    // The shape of supabase/storage's create_prefixes: a DO block committing between batches.
    const temp = await createTempDatabase();
    const dir = migrationDir();
    dir.write('20260101000001_create', { up: 'create table t (id int primary key, n int);', down: '' });
    dir.write(
      '20260101000002_backfill',
      [
        '-- migrate:up transaction:false',
        'insert into t select g, null from generate_series(1, 10) g;',
        'do $$',
        'begin',
        '  for i in 0..1 loop',
        '    update t set n = id where id % 2 = i;',
        '    commit;',
        '  end loop;',
        'end $$;',
        '',
      ].join('\n'),
    );
    const migrator = new Migrator({ databaseUrl: temp.url, dir: dir.dir, lintOnUp: 'off' });
    try {
      const r = await migrator.trace();
      expect(r.migrations.map((m) => [m.file, m.status])).toEqual([
        ['20260101000001_create.sql', 'traced'],
        ['20260101000002_backfill.sql', 'traced'],
      ]);
      expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
      const backfill = statement(r, '000002', 2);
      expect(backfill.error).toBeUndefined();
      // Seen by the second session while it ran, not read after it by the traced one.
      expect(backfill.observable).toBe(true);
      expect((await migrator.up()).migrations.map((m) => m.version)).toEqual([
        '20260101000001',
        '20260101000002',
      ]);
    } finally {
      await migrator.close();
      await temp.drop();
      dir.remove();
    }
  }, 120_000);
});

describe.skipIf(!pg.available)('trace of a column type change that rebuilds indexes', () => {
  it('names the index it dropped and reports the exclusive lock once, on the table', async () => {
    // ente's alter_ids_to_bigint: each ALTER COLUMN … TYPE reported "ACCESS EXCLUSIVE on relation 59981"
    // (the old primary key index, dropped) and its unique index, besides the table.
    const temp = await createTempDatabase();
    const dir = migrationDir();
    dir.write('20260101000001_create', {
      up: "create table tok (id int primary key, token text unique);\ninsert into tok values (1, 'a');\nanalyze tok;",
      down: '',
    });
    const first = new Migrator({ databaseUrl: temp.url, dir: dir.dir, lintOnUp: 'off' });
    await first.up();
    await first.close();
    dir.write('20260101000002_bigint', { up: 'alter table tok alter column id type bigint;', down: '' });
    // A table of one row is large here: every exclusive lock across the rewrite is reported.
    const migrator = new Migrator({ databaseUrl: temp.url, dir: dir.dir, lintLargeTableRows: 1 });
    try {
      const r = await migrator.trace();
      const locks = statement(r, '000002', 1).locks;
      // Relations created here (the rewrite's new heap) stay unnamed and count as new; none else.
      expect(
        locks.filter((l) => !l.newObject && /^relation \d+/.test(l.target)).map((l) => l.target),
      ).toEqual([]);
      expect(locks).toContainEqual(
        expect.objectContaining({
          target: 'public.tok_pkey (dropped here)',
          kind: 'index',
          table: 'public.tok',
        }),
      );
      expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.message.split(' (')[0])).toEqual([
        'ACCESS EXCLUSIVE on public.tok',
      ]);
    } finally {
      await migrator.close();
      await temp.drop();
      dir.remove();
    }
  }, 120_000);
});

describe.skipIf(!pg.available)('trace of a transaction that locks a table twice', () => {
  it('lists a weaker lock on a table the transaction already holds exclusively under the first statement only', async () => {
    const temp = await createTempDatabase();
    const dir = migrationDir();
    dir.write('20260101000001_create', {
      up: 'create table acct (id bigint primary key, name text);',
      down: '',
    });
    const first = new Migrator({ databaseUrl: temp.url, dir: dir.dir, lintOnUp: 'off' });
    await first.up();
    await first.close();
    dir.write('20260101000002_backfill', {
      up: "alter table acct add column note text;\nupdate acct set note = 'x';\ncreate index acct_note on acct (note);",
      down: '',
    });
    const migrator = new Migrator({ databaseUrl: temp.url, dir: dir.dir });
    try {
      const r = await migrator.trace();
      const on = (index: number) =>
        statement(r, '000002', index)
          .locks.filter((l) => l.target === 'public.acct')
          .map((l) => l.mode);
      expect(on(1)).toEqual(['AccessExclusiveLock']);
      // The UPDATE's ROW EXCLUSIVE and the index build's SHARE block nobody the ALTER's lock does not.
      expect(on(2)).toEqual([]);
      expect(on(3)).toEqual([]);
      // The primary key index is a relation the transaction had not locked: it is still listed.
      expect(statement(r, '000002', 2).locks.map((l) => l.target)).toContain('public.acct_pkey');
      expect(statement(r, '000002', 2).heldFromEarlier).toContain('ACCESS EXCLUSIVE public.acct');
    } finally {
      await migrator.close();
      await temp.drop();
      dir.remove();
    }
  }, 120_000);
});

describe('trace of a live PGlite database', () => {
  it('copies the data directory into memory and leaves the original as it was', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tenon-trace-pglite-'));
    const dir = migrationDir();
    dir.write('20260101000001_create', {
      up: 'create table t (id int primary key); insert into t select generate_series(1, 100);',
      down: '',
    });
    const first = new Migrator({ dir: dir.dir, cwd, lintOnUp: 'off' });
    await first.up();
    await first.close();
    dir.write('20260101000002_alter', { up: 'alter table t alter column id type bigint;', down: '' });
    const migrator = new Migrator({ dir: dir.dir, cwd });
    try {
      const r = await migrator.trace();
      expect(r.shadow).toMatchObject({ kind: 'pglite', source: 'pglite-copy' });
      expect(r.migrations.map((m) => [m.file, m.status])).toEqual([['20260101000002_alter.sql', 'traced']]);
      expect(r.migrations[0]!.statements[0]!.rewrites.map((w) => [w.relation, w.rows])).toContainEqual([
        'public.t',
        100,
      ]);
      const status = await migrator.status();
      expect(status.counts).toMatchObject({ applied: 1, pending: 1 });
    } finally {
      await migrator.close();
      dir.remove();
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);
  it('refuses while a migration is dirty, as `up` does, instead of tracing past it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tenon-trace-dirty-'));
    const dir = migrationDir();
    dir.write(
      '20260101000001_half',
      '-- migrate:up transaction:false\ncreate table t (id int);\ncreate index concurrently t_id on t (id);\ninsert into t values (1), (1);\ncreate unique index concurrently t_u on t (id);\n',
    );
    dir.write('20260101000002_next', { up: 'alter table t add column x int;', down: '' });
    const migrator = new Migrator({ dir: dir.dir, cwd, lintOnUp: 'off' });
    try {
      expect((await tenonFailure(migrator.up())).code).toBe('TENON_MIGRATE_STATEMENT_FAILED');
      // Before: 000002 was traced (exit 0) as if 000001 had been applied.
      const error = await tenonFailure(migrator.trace());
      expect(error.code).toBe('TENON_MIGRATE_DIRTY');
      expect(error.message).toContain('20260101000001_half is dirty (3 of 4 statements committed)');
    } finally {
      await migrator.close();
      dir.remove();
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);
});
