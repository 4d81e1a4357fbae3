import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTenonError } from '../../src/core/errors.js';
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

  it('lists every malformed name and every duplicate version', async () => {
    const dir = migrationDir();
    dir.write('20260101000001_a', 'x');
    dir.write('2026_short', 'x');
    dir.write('20260101000001_Bad-Name', 'x');
    await expect(readMigrationDir(dir.dir)).rejects.toThrow('Migration files have a malformed name in');
    try {
      await readMigrationDir(dir.dir);
    } catch (error) {
      expect(isTenonError(error, 'TENON_MIGRATE_FILE_INVALID')).toBe(true);
      expect((error as Error).message).toContain('20260101000001_Bad-Name.sql, 2026_short.sql');
    }
    dir.remove();
    await expect(readMigrationDir(join(dir.dir, 'gone'))).rejects.toMatchObject({
      code: 'TENON_MIGRATE_DIR_NOT_FOUND',
    });
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
