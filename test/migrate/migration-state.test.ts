import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTenonError, type TenonError } from '../../src/core/errors.js';
import { migrationChecksum } from '../../src/core/migration/migration-file.js';
import type { HistoryRow } from '../../src/migrate/history-table.js';
import {
  createMigrationFile,
  type MigrationSource,
  readMigrationDir,
} from '../../src/migrate/migration-files.js';
import { computeMigrationStatus, countStates } from '../../src/migrate/migration-state.js';
import { migrationDir } from './support.js';

function file(version: string, text = `-- migrate:up\nselect ${version};\n`): MigrationSource {
  return {
    version,
    name: `m${version}`,
    file: `${version}_m${version}.sql`,
    path: '',
    text,
    checksum: migrationChecksum(text),
  };
}

function row(source: MigrationSource, patch: Partial<HistoryRow> = {}): HistoryRow {
  return {
    version: source.version,
    name: source.name,
    checksum: source.checksum,
    state: 'applied',
    statementsDone: 1,
    statementsTotal: 1,
    appliedAt: new Date(0),
    executionMs: 3,
    appliedBy: 'me',
    error: null,
    ...patch,
  };
}

describe('computeMigrationStatus', () => {
  it('gives every state, and marks pending files older than the newest recorded as out of order', () => {
    const [a, b, c, d, e, f] = [
      '20260101000001',
      '20260101000002',
      '20260101000003',
      '20260101000004',
      '20260101000005',
      '20260101000006',
    ].map((v) => file(v));
    const statuses = computeMigrationStatus(
      [a!, b!, c!, d!, f!],
      [
        row(a!),
        row(c!, { checksum: 'old' }),
        row(d!, { state: 'dirty', statementsDone: 1, statementsTotal: 3, error: null }),
        row(e!, { state: 'applied' }),
      ],
    );
    expect(statuses.map((s) => [s.version, s.state, s.outOfOrder, s.resumable])).toEqual([
      ['20260101000001', 'applied', false, false],
      ['20260101000002', 'pending', true, false],
      ['20260101000003', 'changed', false, false],
      ['20260101000004', 'dirty', false, true],
      ['20260101000005', 'missing', false, false],
      ['20260101000006', 'pending', false, false],
    ]);
    expect(countStates(statuses)).toEqual({ applied: 1, pending: 2, dirty: 1, changed: 1, missing: 1 });
  });

  it('flags a dirty row left by down', () => {
    const a = file('20260101000001');
    const [s] = computeMigrationStatus(
      [a],
      [row(a, { state: 'dirty', error: 'down: statement 1 of 2 failed: x' })],
    );
    expect(s).toMatchObject({ state: 'dirty', failedDown: true, resumable: false });
  });
});

describe('readMigrationDir', () => {
  it('reads .sql files sorted by version, ignores other files, checksums ignore CRLF and BOM', async () => {
    const dir = migrationDir();
    dir.write('20260101000002_b', '-- migrate:up\r\nselect 2;\r\n');
    dir.write('20260101000001_a', '\uFEFF-- migrate:up\nselect 1;\n');
    writeFileSync(join(dir.dir, 'README.md'), 'notes');
    mkdirSync(join(dir.dir, 'archive.sql'));
    const files = await readMigrationDir(dir.dir);
    expect(files.map((f) => [f.version, f.name, f.file])).toEqual([
      ['20260101000001', 'a', '20260101000001_a.sql'],
      ['20260101000002', 'b', '20260101000002_b.sql'],
    ]);
    expect(files[1]?.checksum).toBe(migrationChecksum('-- migrate:up\nselect 2;\n'));
    dir.remove();
  });

  it('reads the names dbmate reads: capitals and hyphens after the 14-digit version', async () => {
    // supabase/postgres (a dbmate project) names its files 20211115181400_update-auth-permissions.sql.
    const dir = migrationDir();
    dir.write('20211115181400_update-auth-permissions', '-- migrate:up\nselect 1;\n');
    dir.write('20211118015519_Create_Realtime', '-- migrate:up\nselect 2;\n');
    const files = await readMigrationDir(dir.dir);
    expect(files.map((f) => [f.version, f.name])).toEqual([
      ['20211115181400', 'update-auth-permissions'],
      ['20211118015519', 'Create_Realtime'],
    ]);
    dir.remove();
  });

  it('names the format of files it cannot read, and every duplicate version', async () => {
    const dir = migrationDir();
    dir.write('20260101000001_a', 'x');
    dir.write('2026_short', 'x');
    dir.write('20260101000001_bad name', 'x');
    await expect(readMigrationDir(dir.dir)).rejects.toThrow(
      '2 .sql files are not named as tenon migrations in',
    );
    try {
      await readMigrationDir(dir.dir);
    } catch (error) {
      expect(isTenonError(error, 'TENON_MIGRATE_FILE_INVALID')).toBe(true);
      expect((error as Error).message).toContain('versions that are not 14 digits, 1 file: 2026_short.sql');
      expect((error as Error).message).toContain('other names, 1 file: 20260101000001_bad name.sql');
      expect((error as TenonError).details).toMatchObject({
        files: ['20260101000001_bad name.sql', '2026_short.sql'],
      });
    }
    dir.write('20260101000001_b', 'x');
    dir.write('20260101000001_bad name', '-- migrate:up\nselect 1;\n');
    rmSync(join(dir.dir, '2026_short.sql'));
    rmSync(join(dir.dir, '20260101000001_bad name.sql'));
    await expect(readMigrationDir(dir.dir)).rejects.toMatchObject({
      code: 'TENON_MIGRATE_DUPLICATE_VERSION',
      message: expect.stringContaining('20260101000001 (20260101000001_a.sql, 20260101000001_b.sql)'),
    });
    dir.remove();
    await expect(readMigrationDir(join(dir.dir, 'gone'))).rejects.toMatchObject({
      code: 'TENON_MIGRATE_DIR_NOT_FOUND',
    });
  });

  it.each([
    [
      // Pairs are read natively; these do not fit (a dot in the name, a 16-digit number).
      'golang-migrate pairs',
      ['1_create.tables.up.sql', '1_create.tables.down.sql', '1700000000000000_users.up.sql'],
      'golang-migrate pairs (N_name.up.sql and N_name.down.sql), 3 files: 1_create.tables.down.sql, 1_create.tables.up.sql, 1700000000000000_users.up.sql',
      'at most 14 digits',
    ],
    [
      'Flyway scripts',
      ['V1__init.sql', 'V1.1__add_users.sql'],
      'Flyway scripts (V<version>__<name>.sql), 2 files: V1__init.sql, V1.1__add_users.sql',
      'V2__add_users.sql → 00000000000002_add_users.sql',
    ],
    [
      'numbered files',
      ['0001-initialmigration.sql'],
      'A .sql file is not named as tenon migrations',
      '0001-init.sql → 00000000000001_init.sql',
    ],
  ])('recognizes %s and says how to convert them', async (_, names, message, hint) => {
    const dir = migrationDir();
    for (const name of names) writeFileSync(join(dir.dir, name), 'create table t (id int);\n');
    const error = await readMigrationDir(dir.dir).then(
      () => undefined,
      (e: unknown) => e as TenonError,
    );
    expect(error?.code).toBe('TENON_MIGRATE_FILE_INVALID');
    expect(error?.message).toContain(message);
    expect(error?.hint).toContain(hint);
    dir.remove();
  });

  it('create picks the next free second when a version is taken', async () => {
    const dir = migrationDir();
    const now = new Date(Date.UTC(2026, 10, 26, 10, 15, 0));
    const first = await createMigrationFile(dir.dir, 'Create Users', { now });
    const second = await createMigrationFile(dir.dir, 'create users', { now });
    expect([first.file, second.file]).toEqual([
      '20261126101500_create_users.sql',
      '20261126101501_create_users.sql',
    ]);
    const files = await readMigrationDir(dir.dir);
    expect(files[0]?.text).toBe('-- migrate:up\n\n-- migrate:down\n');
    dir.remove();
  });
});
