import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TenonError } from '../../src/core/errors.js';
import { migrationChecksum } from '../../src/core/migration/migration-file.js';
import { createMigrationFile, readMigrationDir } from '../../src/migrate/migration-files.js';
import { planMigration } from '../../src/migrate/plan.js';
import { type MigrationDir, migrationDir } from './support.js';

let dir: MigrationDir;
beforeEach(() => {
  dir = migrationDir();
});
afterEach(() => dir.remove());

const put = (name: string, text: string) => writeFileSync(join(dir.dir, name), text);
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as TenonError,
  );

describe('golang-migrate pairs (N_name.up.sql + N_name.down.sql) read natively', () => {
  it('version = the number padded to 14 digits, name from the file, sorted among tenon files', async () => {
    put('1_create_users.up.sql', 'create table users (id int);\n');
    put('1_create_users.down.sql', 'drop table users;\n');
    put('10_add_index.up.sql', 'create index users_id on users (id);\n');
    put('2_add-email.up.sql', 'alter table users add column email text;\n');
    put('2_add-email.down.sql', 'alter table users drop column email;\n');
    dir.write('00000000000005_own_format', { up: 'select 1;', down: 'select 2;' });
    const files = await readMigrationDir(dir.dir);
    expect(files.map((f) => [f.version, f.name, f.file, f.downFile])).toEqual([
      ['00000000000001', 'create_users', '1_create_users.up.sql', '1_create_users.down.sql'],
      ['00000000000002', 'add-email', '2_add-email.up.sql', '2_add-email.down.sql'],
      ['00000000000005', 'own_format', '00000000000005_own_format.sql', undefined],
      ['00000000000010', 'add_index', '10_add_index.up.sql', undefined],
    ]);
    // The checksum is the one of the file docs/migrate.md's former joining loop wrote: history stays valid.
    expect(files[0]!.checksum).toBe(
      migrationChecksum(
        '-- migrate:up\ncreate table users (id int);\n\n-- migrate:down\ndrop table users;\n',
      ),
    );
    expect((await readMigrationDir(dir.dir)).map((f) => f.checksum)).toEqual(files.map((f) => f.checksum));
    // Each section starts on line 1 of its own file; a missing down file is no down section (irreversible).
    expect(files[0]!.sections).toMatchObject({
      up: 'create table users (id int);\n',
      upLine: 1,
      downLine: 1,
    });
    expect(files[3]!.sections?.down).toBeUndefined();
    // `create` picks a version after the pairs' ones, never one of theirs.
    const created = await createMigrationFile(dir.dir, 'next', { now: new Date('2026-01-01T00:00:00Z') });
    expect(created.version).toBe('20260101000000');
  });

  it('a parse error in a down file names that file and its line', async () => {
    put('3_t.up.sql', 'create table t (id int);\n');
    put('3_t.down.sql', '-- undo\n\ndrop tabel t;\n');
    const [source] = await readMigrationDir(dir.dir);
    expect((await planMigration(source!, 'up', { kind: 'postgres' })).statements[0]!.line).toBe(1);
    const error = await failure(planMigration(source!, 'down', { kind: 'postgres' }));
    expect(error?.code).toBe('TENON_SQL_PARSE_FAILED');
    expect(error?.message).toContain('3_t.down.sql:3:');
  });

  it.each([
    [['1_a.down.sql'], '1_a.down.sql has no .up.sql file'],
    [['1_a.up.sql', '1_b.down.sql'], '1_a.up.sql, 1_b.down.sql have one version and different names'],
    [['1_a.up.sql', '01_a.up.sql'], '01_a.up.sql, 1_a.up.sql have one version'],
  ])('refuses %j', async (names, message) => {
    for (const name of names) put(name, 'select 1;\n');
    const error = await failure(readMigrationDir(dir.dir));
    expect(error?.code).toBe('TENON_MIGRATE_FILE_INVALID');
    expect(error?.message).toContain(message);
  });

  it('a pair and a tenon file with one version are duplicates', async () => {
    put('1_a.up.sql', 'select 1;\n');
    dir.write('00000000000001_b', { up: 'select 1;' });
    const error = await failure(readMigrationDir(dir.dir));
    expect(error?.code).toBe('TENON_MIGRATE_DUPLICATE_VERSION');
    expect(error?.message).toContain('00000000000001 (00000000000001_b.sql, 1_a.up.sql)');
  });
});
