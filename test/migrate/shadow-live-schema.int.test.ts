import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator } from '../../src/migrate/index.js';
import {
  createTempDatabase,
  requireCommand,
  requireCorpus,
  requirePostgres,
  type TempDatabase,
} from '../support/services.js';
import { tenonFailure } from '../support/tenon-failure.js';
import { migrationDir, openTarget, writeSteps } from './support.js';

const pg = await requirePostgres();
const pgDump = requireCommand('pg_dump');
const nonTransactional = requireCorpus('migrations/non-transactional');
const supabase = requireCorpus('migrations/supabase-auth');
const skip = !pg.available || !pgDump.available;

/**
 * A server shadow starts from the live schema (pg_dump --schema-only), not
 * from a replay of the applied migrations: so `up --dry-run` and `trace`
 * see what was made outside migrations and what a human fixed by hand.
 */
describe.skipIf(skip || !supabase.available)('a shadow of the supabase-auth corpus', () => {
  let temp: TempDatabase;

  beforeAll(async () => {
    temp = await createTempDatabase(undefined, 'migrate_shadow_sb');
    // The corpus expects the `auth` schema to exist before its first migration, as supabase creates it.
    const admin = await openTarget('postgres', temp.url);
    await admin.exec('create schema auth');
    await admin.close();
  });
  afterAll(async () => {
    await temp?.drop();
  });

  it('dry-runs all 70 migrations where a replayed shadow had no auth schema', async () => {
    const m = new Migrator({ databaseUrl: temp.url, dir: supabase.dir, lintOnUp: 'off' });
    try {
      const result = await m.up({ dryRun: true });
      expect(result.shadow).toContain('a copy of the live schema');
      expect(result.migrations).toHaveLength(70);
      expect(result.migrations.filter((r) => r.status !== 'checked')).toEqual([]);
      // The live database was only read.
      expect((await m.status()).migrations.every((s) => s.state === 'pending')).toBe(true);
    } finally {
      await m.close();
    }
  });
});

describe.skipIf(skip || !nonTransactional.available)('a shadow after a repaired migration', () => {
  let temp: TempDatabase;
  const last = '20240101000005';

  beforeAll(async () => {
    temp = await createTempDatabase(undefined, 'migrate_shadow_nt');
    const m = new Migrator({ databaseUrl: temp.url, dir: nonTransactional.dir, lintOnUp: 'off' });
    const db = await openTarget('postgres', temp.url);
    try {
      // 000004 fails on duplicated emails; a human fixes the data, releases it, and applies it.
      expect((await tenonFailure(m.up())).code).toBe('TENON_MIGRATE_STATEMENT_FAILED');
      await db.exec('drop index if exists people_email_key');
      await db.exec(`update people set email = id || '.' || email`);
      await m.repair({ action: 'retry' });
      await m.up({ to: '20240101000004' });
    } finally {
      await db.close();
      await m.close();
    }
  });
  afterAll(async () => {
    await temp?.drop();
  });

  it.each(['server', 'pglite'] as const)('dry-runs the pending migration on a %s shadow', async (shadow) => {
    const m = new Migrator({ databaseUrl: temp.url, dir: nonTransactional.dir, lintOnUp: 'off' });
    try {
      const result = await m.up({ dryRun: true, shadow });
      expect(result.shadow).toMatch(/copy of the live schema|schema copied from/);
      expect(result.migrations.map((r) => [r.version, r.status])).toEqual([[last, 'checked']]);
    } finally {
      await m.close();
    }
  });

  it('traces the pending migration', async () => {
    const m = new Migrator({ databaseUrl: temp.url, dir: nonTransactional.dir, lintOnUp: 'off' });
    try {
      const report = await m.trace();
      expect(report.shadow.source).toBe('live-schema');
      expect(report.migrations.map((r) => [r.file, r.status])).toEqual([[`${last}_use_happy.sql`, 'traced']]);
    } finally {
      await m.close();
    }
  });

  it('falls back to replaying without pg_dump, and says why the replay fails', async () => {
    const m = new Migrator({
      databaseUrl: temp.url,
      dir: nonTransactional.dir,
      lintOnUp: 'off',
      pgDump: '/nonexistent/pg_dump',
    });
    try {
      const error = await tenonFailure(m.up({ dryRun: true }));
      expect(error.code).toBe('TENON_MIGRATE_SHADOW_FAILED');
      expect(error.message).toContain('20240101000004_unique_email_concurrently.sql');
      expect(error.hint).toContain('/nonexistent/pg_dump was not found');
    } finally {
      await m.close();
    }
  });
});

describe.skipIf(skip)('a shadow when an applied migration file is gone', () => {
  let temp: TempDatabase;
  const files = migrationDir();

  beforeAll(async () => {
    temp = await createTempDatabase(undefined, 'migrate_shadow_gone');
    const [, second] = writeSteps(files, 2);
    const m = new Migrator({ databaseUrl: temp.url, dir: files.dir, lintOnUp: 'off' });
    try {
      await m.up();
    } finally {
      await m.close();
    }
    rmSync(join(files.dir, `${second}_step_2.sql`));
    // The pending one needs what the vanished step_2 made.
    files.write('20260101000003_use_step_2', { up: 'alter table step_2 add column note text;', down: '' });
  });
  afterAll(async () => {
    files.remove();
    await temp?.drop();
  });

  it('a copy of the live schema has what it made; a replay lacks it and says so', async () => {
    const m = new Migrator({ databaseUrl: temp.url, dir: files.dir, lintOnUp: 'off' });
    const saved = process.env.TENON_PG_DUMP;
    try {
      const copied = await m.up({ dryRun: true });
      expect(copied.migrations.map((r) => r.status)).toEqual(['checked']);
      expect(copied.warnings.filter((w) => w.includes('whose file is gone'))).toEqual([]);
      process.env.TENON_PG_DUMP = '/nonexistent/pg_dump';
      const replayed = await m.up({ dryRun: true });
      expect(replayed.migrations.map((r) => r.status)).toEqual(['failed']);
      expect(replayed.warnings.some((w) => w.includes('lacks 1 applied migration whose file is gone'))).toBe(
        true,
      );
    } finally {
      if (saved === undefined) delete process.env.TENON_PG_DUMP;
      else process.env.TENON_PG_DUMP = saved;
      await m.close();
    }
  });
});
