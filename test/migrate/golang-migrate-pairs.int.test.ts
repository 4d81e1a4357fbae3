import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Migrator } from '../../src/migrate/index.js';
import { createTempDatabase, requirePostgres } from '../support/services.js';
import { migrationDir } from './support.js';

const pg = await requirePostgres();

describe.skipIf(!pg.available)('a golang-migrate folder on PostgreSQL', () => {
  it('status, dry run, up, verify, lint, trace and down read the pairs as they are', async () => {
    const temp = await createTempDatabase();
    const dir = migrationDir();
    const put = (name: string, text: string) => writeFileSync(join(dir.dir, name), text);
    put('1_create_accounts.up.sql', 'create table accounts (id bigint primary key, name text);\n');
    put('1_create_accounts.down.sql', 'drop table accounts;\n');
    put('2_add_email.up.sql', 'BEGIN;\nalter table accounts add column email text;\nCOMMIT;\n');
    put('2_add_email.down.sql', 'alter table accounts drop column email;\n');
    // Non-transactional, as golang-migrate files with a concurrent build are.
    put('3_email_index.up.sql', 'create index concurrently accounts_email on accounts (email);\n');
    put('3_email_index.down.sql', 'drop index concurrently accounts_email;\n');
    // No down file.
    put('4_comment.up.sql', "comment on table accounts is 'people';\n");
    const migrator = new Migrator({ databaseUrl: temp.url, dir: dir.dir, lintOnUp: 'off' });
    try {
      const before = await migrator.status();
      expect(before.migrations.map((m) => [m.version, m.name, m.state, m.file])).toEqual([
        ['00000000000001', 'create_accounts', 'pending', '1_create_accounts.up.sql'],
        ['00000000000002', 'add_email', 'pending', '2_add_email.up.sql'],
        ['00000000000003', 'email_index', 'pending', '3_email_index.up.sql'],
        ['00000000000004', 'comment', 'pending', '4_comment.up.sql'],
      ]);
      const dry = await migrator.up({ dryRun: true });
      expect(dry.migrations.map((m) => m.version)).toEqual([
        '00000000000001',
        '00000000000002',
        '00000000000003',
        '00000000000004',
      ]);
      const lint = await migrator.lint();
      expect(lint.errors).toEqual([]);
      // Findings are placed on the lines of the .up.sql file (BEGIN on 1, COMMIT on 3), not of a joined file.
      expect(
        lint.findings
          .filter((f) => f.rule === 'transaction-control')
          .map((f) => `${f.file.split('/').at(-1)}:${f.line}`),
      ).toEqual(['2_add_email.up.sql:1', '2_add_email.up.sql:3']);
      const trace = await migrator.trace();
      expect(trace.migrations.map((m) => m.status)).toEqual(['traced', 'traced', 'traced', 'traced']);
      expect(trace.migrations[2]!.transactional).toBe(false);
      const up = await migrator.up({ to: '00000000000003' });
      expect(up.migrations.map((m) => m.status)).toEqual(['applied', 'applied', 'applied']);
      const verify = await migrator.verify();
      expect(verify.problems).toEqual([]);
      expect(verify.ok).toBe(true);
      // The .down.sql files run, newest first (3's outside a transaction).
      const down = await migrator.down({ to: '00000000000001' });
      expect(down.migrations.map((m) => m.version)).toEqual(['00000000000003', '00000000000002']);
      expect((await migrator.status()).counts.applied).toBe(1);
      await migrator.up();
      // No down file: irreversible, and the error says which file is missing.
      await expect(migrator.down()).rejects.toMatchObject({
        code: 'TENON_MIGRATE_IRREVERSIBLE',
        message: expect.stringContaining('4_comment.up.sql: no 4_comment.down.sql file'),
      });
    } finally {
      await migrator.close();
      await temp.drop();
      dir.remove();
    }
  }, 180_000);
});
