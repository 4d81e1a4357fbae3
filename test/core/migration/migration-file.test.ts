import { describe, expect, it } from 'vitest';
import { isTenonError, type TenonError } from '../../../src/core/errors.js';
import {
  MIGRATION_FILE_RE,
  migrationChecksum,
  migrationFileName,
  migrationVersion,
  parseMigrationFile,
  renderMigrationFile,
  toSnakeName,
} from '../../../src/core/migration/migration-file.js';

describe('migration file format', () => {
  it('names files after the UTC time and a snake_case name', () => {
    const version = migrationVersion(new Date(Date.UTC(2026, 10, 26, 6, 5, 9)));
    expect(version).toBe('20261126060509');
    expect(migrationFileName(version, 'Add users.email Index')).toBe(
      '20261126060509_add_users_email_index.sql',
    );
    expect(MIGRATION_FILE_RE.test('20261126060509_add_users_email_index.sql')).toBe(true);
    expect(toSnakeName('createOrderItems')).toBe('create_order_items');
    expect(() => migrationFileName(version, '!!!')).toThrow(/not a usable migration name/);
  });

  it('renders and parses both sections', () => {
    const text = renderMigrationFile({
      up: 'create table t (x int);',
      down: 'drop table t;',
      header: 'why: a test',
    });
    expect(text).toBe(
      '-- why: a test\n\n-- migrate:up\ncreate table t (x int);\n\n-- migrate:down\ndrop table t;\n',
    );
    expect(parseMigrationFile(text, 'f.sql')).toEqual({
      up: 'create table t (x int);\n',
      upLine: 4,
      down: 'drop table t;\n',
      downLine: 7,
      upTransaction: true,
      downTransaction: true,
    });
  });

  it("reads dbmate's transaction:false after either marker", () => {
    const text =
      '-- migrate:up transaction:false\nselect 1;\n-- migrate:down   transaction:true  (why)\nselect 2;\n';
    expect(parseMigrationFile(text, 'f.sql')).toMatchObject({ upTransaction: false, downTransaction: true });
    expect(parseMigrationFile('-- migrate:up a comment\nselect 1;\n', 'f.sql').upTransaction).toBe(true);
  });

  it.each([
    ['transaction:FALSE', 'transaction:false', 'outside a transaction'],
    ['transaction:True', 'transaction:true', 'in one transaction'],
  ])('refuses %s, which dbmate reads as true, rather than guess', (option, fix, runs) => {
    let error: unknown;
    try {
      parseMigrationFile(`-- migrate:up\nselect 1;\n-- migrate:down ${option}\n`, 'm/1.sql');
    } catch (e) {
      error = e;
    }
    expect(isTenonError(error, 'TENON_MIGRATE_FILE_INVALID')).toBe(true);
    const e = error as TenonError;
    expect(e.message).toBe(`m/1.sql: "${option}" on line 3: the value is lowercase \`true\` or \`false\`.`);
    expect(e.hint).toContain(`dbmate reads "${option}" as true`);
    expect(e.hint).toContain(`write "${fix}" if the section must run ${runs}`);
  });

  it("reads goose's annotations: Up, Down, StatementBegin/End as comments, NO TRANSACTION for both sections", () => {
    const text = [
      '-- +goose Up',
      '-- +goose StatementBegin',
      'create function f() returns int language sql as $$ select 1; $$;',
      '-- +goose StatementEnd',
      '',
      '-- +goose Down',
      'drop function f();',
      '',
    ].join('\n');
    expect(parseMigrationFile(text, 'f.sql')).toMatchObject({
      upLine: 2,
      down: 'drop function f();\n',
      downLine: 7,
      upTransaction: true,
      downTransaction: true,
    });
    const concurrent = '-- +goose NO TRANSACTION\n-- +goose up\ncreate index concurrently i on t (x);\n';
    expect(parseMigrationFile(concurrent, 'f.sql')).toMatchObject({
      up: 'create index concurrently i on t (x);\n',
      down: undefined,
      upTransaction: false,
      downTransaction: false,
    });
  });

  it('treats an empty down section as irreversible and a missing one as absent', () => {
    expect(parseMigrationFile('-- migrate:up\nselect 1;\n-- migrate:down\n\n', 'f.sql').down).toBe('');
    expect(parseMigrationFile('-- migrate:up\nselect 1;\n', 'f.sql').down).toBeUndefined();
  });

  it.each([
    ['select 1;', /no "-- migrate:up" marker/],
    ['-- migrate:down\n-- migrate:up\n', /comes before/],
    ['-- migrate:up\n-- migrate:up\n', /second "-- migrate:up"/],
    ['-- +goose Up\nselect 1;\n-- migrate:down\n', /goose and dbmate markers in one file \(line 3\)/],
    ['-- +goose Down\n-- +goose Up\nselect 1;\n', /"-- \+goose Down" comes before "-- \+goose Up"/],
    ['-- +goose ENVSUB ON\n-- +goose Up\nselect $X;\n', /"-- \+goose ENVSUB ON" on line 1 is not supported/],
    [
      '-- migrate:up transaction:no\nselect 1;\n',
      /"transaction:no" on line 1: the value must be true or false/,
    ],
  ])('rejects %j', (text, message) => {
    let error: unknown;
    try {
      parseMigrationFile(text, 'm/1.sql');
    } catch (e) {
      error = e;
    }
    expect(isTenonError(error, 'TENON_MIGRATE_FILE_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('checksums ignore CRLF and a BOM but nothing else', () => {
    const lf = '-- migrate:up\ncreate table t (x int);\n';
    expect(migrationChecksum(`\uFEFF${lf.replace(/\n/g, '\r\n')}`)).toBe(migrationChecksum(lf));
    expect(migrationChecksum(lf.replace('int', 'bigint'))).not.toBe(migrationChecksum(lf));
    expect(migrationChecksum(lf)).toMatch(/^[0-9a-f]{64}$/);
  });
});
