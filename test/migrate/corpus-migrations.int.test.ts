import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MigrationResult, Migrator } from '../../src/migrate/index.js';
import {
  createTempDatabase,
  requireCorpus,
  requirePostgres,
  type TempDatabase,
} from '../support/services.js';
import { tenonFailure } from '../support/tenon-failure.js';
import { openTarget, useMigrateTarget } from './support.js';

const pg = await requirePostgres();
const nonTransactional = requireCorpus('migrations/non-transactional');
const supabase = requireCorpus('migrations/supabase-auth');

/**
 * The corpus folder `migrations/non-transactional` behaves as its README
 * says, in one process: 000002 (dbmate's `transaction:false`, a
 * `SET search_path`) does not leak its search_path into 000003, 000004
 * fails half-way on duplicated emails and is resumed by `repair --retry`
 * once the data is fixed, and 000005 uses the enum value 000003 added.
 */
describe.each([
  { kind: 'pglite' as const, skip: !nonTransactional.available },
  { kind: 'postgres' as const, skip: !pg.available || !nonTransactional.available },
])('the non-transactional corpus on $kind', ({ kind, skip }) => {
  const t = useMigrateTarget({ kind, skip, name: 'migrate_real_nt' });

  it.skipIf(skip)('applies, fails at 000004, resumes after repair, and verifies', async () => {
    const m = new Migrator({ db: t.db, dir: nonTransactional.dir, lintOnUp: 'off' });
    try {
      const error = await tenonFailure(m.up());
      expect(error.code).toBe('TENON_MIGRATE_STATEMENT_FAILED');
      expect(error.message).toContain('20240101000004_unique_email_concurrently.sql:3:1: statement 2 of 3');
      expect(error.message).toMatch(/could not create unique index "people_email_key"/);
      expect((error.details.completed as MigrationResult[]).map((r) => [r.version, r.transactional])).toEqual(
        [
          ['20240101000001', true],
          ['20240101000002', false],
          ['20240101000003', true],
        ],
      );
      const status = await m.status();
      expect(status.migrations.map((s) => s.state)).toEqual([
        'applied',
        'applied',
        'applied',
        'dirty',
        'pending',
      ]);
      expect(status.migrations[3]).toMatchObject({ statementsDone: 1, statementsTotal: 3 });
      const { rows: index } = await t.db.query<{ n: number }>(
        `select count(*)::int as n from pg_indexes where schemaname = 'ows' and indexname = 'idx_mapinstances_active'`,
      );
      expect(index[0]?.n).toBe(1);

      // What a human does: drop what the failed build left, fix the data, release the migration.
      await t.db.exec('drop index if exists people_email_key');
      await t.db.exec(`update people set email = id || '.' || email`);
      await m.repair({ action: 'retry' });
      const resumed = await m.up();
      expect(resumed.migrations.map((r) => [r.version, r.status, r.resumedAt ?? null])).toEqual([
        ['20240101000004', 'applied', 2],
        ['20240101000005', 'applied', null],
      ]);
      const { rows } = await t.db.query<{ n: number }>(
        `select count(*)::int as n from people where m = 'happy'`,
      );
      expect(rows[0]?.n).toBe(2500);
      expect((await m.verify()).ok).toBe(true);
    } finally {
      await m.close();
    }
  });
});

/** supabase/auth's 70 migrations apply and verify (they expect the `auth` schema to exist). */
describe.skipIf(!pg.available || !supabase.available)('the supabase-auth corpus', () => {
  let temp: TempDatabase;

  beforeAll(async () => {
    temp = await createTempDatabase(undefined, 'migrate_real_sb');
    const admin = await openTarget('postgres', temp.url);
    await admin.exec('create schema auth');
    await admin.close();
  });
  afterAll(async () => {
    await temp?.drop();
  });

  it('applies and verifies', async () => {
    const m = new Migrator({ databaseUrl: temp.url, dir: supabase.dir, lintOnUp: 'off' });
    try {
      const result = await m.up();
      expect(result.migrations).toHaveLength(70);
      expect(result.migrations.every((r) => r.status === 'applied')).toBe(true);
      const verify = await m.verify();
      expect(verify.ok).toBe(true);
      expect(verify.counts.applied).toBe(70);
      expect((await m.up()).migrations).toEqual([]);
    } finally {
      await m.close();
    }
  });
});
