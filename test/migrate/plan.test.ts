import { describe, expect, it } from 'vitest';
import { isTenonError } from '../../src/core/errors.js';
import { migrationChecksum } from '../../src/core/migration/migration-file.js';
import { parseSql } from '../../src/core/sql/parse.js';
import type { MigrationSource } from '../../src/migrate/migration-files.js';
import { planMigration, relationsOf } from '../../src/migrate/plan.js';
import { withoutConcurrently } from '../../src/migrate/without-concurrently.js';

function source(text: string, file = '20260101000000_x.sql'): MigrationSource {
  return {
    version: '20260101000000',
    name: 'x',
    file,
    path: `/m/${file}`,
    text,
    checksum: migrationChecksum(text),
  };
}

async function stripped(sql: string): Promise<string | undefined> {
  const [statement] = await parseSql(sql);
  return withoutConcurrently(statement!);
}

describe('withoutConcurrently (PGlite has no concurrent index builds)', () => {
  it.each([
    ['create index concurrently i on t (a)', 'create index i on t (a)'],
    [
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Idx" ON s.t USING btree (lower(a)) WHERE b',
      'CREATE UNIQUE INDEX IF NOT EXISTS "Idx" ON s.t USING btree (lower(a)) WHERE b',
    ],
    ['drop index concurrently if exists i', 'drop index if exists i'],
    ['reindex index concurrently i', 'reindex index i'],
    ['reindex (concurrently) table t', 'reindex table t'],
    ['reindex (verbose, concurrently true) table t', 'reindex (verbose) table t'],
    ['reindex (concurrently, verbose) index i', 'reindex (verbose) index i'],
    ['alter table p detach partition c concurrently', 'alter table p detach partition c'],
  ])('%s → %s', async (input, output) => {
    expect(await stripped(input)).toBe(output);
  });

  it('leaves comments, string literals and quoted names that say "concurrently" alone', async () => {
    const sql = `create index /* concurrently */ concurrently "concurrently" on t (a) where b = 'concurrently  x' -- concurrently`;
    expect(await stripped(sql)).toBe(
      `create index /* concurrently */ "concurrently" on t (a) where b = 'concurrently  x' -- concurrently`,
    );
  });

  it('returns undefined for statements that run in a transaction anyway', async () => {
    expect(await stripped('create index i on t (a)')).toBeUndefined();
    expect(await stripped('vacuum t')).toBeUndefined();
  });
});

describe('planMigration', () => {
  const file =
    '-- migrate:up\ncreate table t (a int);\n\ncreate index concurrently t_a on t (a);\n-- migrate:down\ndrop index concurrently t_a;\ndrop table t;\n';

  it('runs a migration with a non-transactional statement statement by statement on a server', async () => {
    const plan = await planMigration(source(file), 'up', { kind: 'postgres' });
    expect(plan.transactional).toBe(false);
    expect(
      plan.statements.map((s) => [s.index, s.line, s.column, s.kind, s.nonTransactional, s.concurrently]),
    ).toEqual([
      [1, 2, 1, 'CreateStmt', undefined, false],
      [2, 4, 1, 'IndexStmt', 'CREATE INDEX CONCURRENTLY', true],
    ]);
    expect(relationsOf(plan.statements[1]!)).toEqual(['t']);
    expect(plan.notes).toEqual([
      'runs outside a transaction, statement by statement: statement 2 (line 4) is CREATE INDEX CONCURRENTLY',
    ]);
    const down = await planMigration(source(file), 'down', { kind: 'postgres' });
    expect(down.statements.map((s) => [s.line, s.sql])).toEqual([
      [6, 'drop index concurrently t_a'],
      [7, 'drop table t'],
    ]);
  });

  it('drops CONCURRENTLY on PGlite and keeps the migration in one transaction', async () => {
    const plan = await planMigration(source(file), 'up', { kind: 'pglite' });
    expect(plan.transactional).toBe(true);
    expect(plan.statements[1]).toMatchObject({
      sql: 'create index t_a on t (a)',
      nonTransactional: undefined,
      rewritten: 'CREATE INDEX CONCURRENTLY runs without CONCURRENTLY on PGlite (one connection)',
    });
    expect(plan.notes).toEqual([
      'statement 2 (line 4): CREATE INDEX CONCURRENTLY runs without CONCURRENTLY on PGlite (one connection)',
    ]);
  });

  it('keeps VACUUM outside a transaction on PGlite too', async () => {
    const plan = await planMigration(source('-- migrate:up\nvacuum t;\n'), 'up', { kind: 'pglite' });
    expect(plan.transactional).toBe(false);
  });

  it('names the relations of each statement, quoted, to find lock holders', async () => {
    const plan = await planMigration(
      source(
        '-- migrate:up\nalter table "Sales".orders add constraint fk foreign key (c) references customers (id);\n',
      ),
      'up',
      { kind: 'postgres' },
    );
    expect(relationsOf(plan.statements[0]!).sort()).toEqual(['"Sales".orders', 'customers']);
  });

  it.each([
    [
      '-- migrate:up\ncreate table t (a int);\ncommit;\n',
      'TENON_MIGRATE_TRANSACTION_CONTROL',
      /20260101000000_x\.sql:3:1: COMMIT is not allowed/,
    ],
    [
      '-- migrate:up\nselect 1;\n  savepoint a;\n',
      'TENON_MIGRATE_TRANSACTION_CONTROL',
      /:3:3: SAVEPOINT is not allowed/,
    ],
    [
      '-- migrate:up\nbegin isolation level serializable;\ncreate table t (a int);\ncommit;\n',
      'TENON_MIGRATE_TRANSACTION_CONTROL',
      /:2:1: BEGIN is not allowed/,
    ],
    [
      '-- migrate:up\nbegin;\ncreate table t (a int);\ncommit;\ncreate table u (a int);\n',
      'TENON_MIGRATE_TRANSACTION_CONTROL',
      /:2:1: BEGIN is not allowed/,
    ],
    [
      '-- migrate:up\nbegin;\ncreate index concurrently i on t (a);\ncommit;\n',
      'TENON_MIGRATE_TRANSACTION_CONTROL',
      /:2:1: BEGIN is not allowed/,
    ],
    ['-- migrate:up\nbegin;\ncommit;\n', 'TENON_MIGRATE_FILE_INVALID', /the up section has no statements/],
    [
      '-- header\n-- migrate:up\nselect 1;\nselec 2;\n',
      'TENON_SQL_PARSE_FAILED',
      /20260101000000_x\.sql:4:1: syntax error at or near "selec"/,
    ],
    [
      '-- migrate:up\n/* only a comment */\n-- migrate:down\nselect 1;\n',
      'TENON_MIGRATE_FILE_INVALID',
      /the up section has no statements/,
    ],
    [
      "-- migrate:up\nalter type mood add value 'happy';\nupdate people set m = 'happy' where id = 1;\n",
      'TENON_MIGRATE_ENUM_VALUE_IN_TRANSACTION',
      /20260101000000_x\.sql:3:1: statement 2 uses 'happy', which statement 1 \(line 2\) adds to mood in the same transaction/,
    ],
  ])('rejects %j', async (text, code, message) => {
    try {
      await planMigration(source(text), 'up', { kind: 'postgres' });
      expect.unreachable();
    } catch (error) {
      expect(isTenonError(error)).toBe(true);
      expect((error as { code: string }).code).toBe(code);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('transaction:false and new enum values', () => {
  const addAndUse = "alter type app.mood add value 'happy';\ninsert into people (m) values ('happy');\n";

  it('runs a section marked transaction:false statement by statement, and says so', async () => {
    const plan = await planMigration(
      source(`-- migrate:up transaction:false\n${addAndUse}-- migrate:down\nselect 1;\n`),
      'up',
      { kind: 'postgres' },
    );
    expect(plan.transactional).toBe(false);
    expect(plan.notes).toEqual([
      'runs outside a transaction, statement by statement: the file says transaction:false',
    ]);
    const down = await planMigration(
      source('-- migrate:up\nselect 1;\n-- migrate:down transaction:false\nselect 2;\n'),
      'down',
      { kind: 'pglite' },
    );
    expect(down.transactional).toBe(false);
  });

  it.each([
    ['begin;', 'commit;'],
    ['BEGIN TRANSACTION;', 'END;'],
    ['start transaction;', 'commit work;'],
  ])(
    'takes a section wrapped whole in %s … %s as its transaction (golang-migrate, goose files)',
    async (open, close) => {
      const plan = await planMigration(
        source(
          `-- migrate:up\n${open}\ncreate table t (a int);\ninsert into t values (1);\n${close}\n-- migrate:down\nbegin;\ndrop table t;\ncommit;\n`,
        ),
        'up',
        { kind: 'postgres' },
      );
      expect(plan.transactional).toBe(true);
      // The statements between, numbered from 1 and placed by their lines in the file.
      expect(plan.statements.map((s) => [s.index, s.line, s.sql])).toEqual([
        [1, 3, 'create table t (a int)'],
        [2, 4, 'insert into t values (1)'],
      ]);
      expect(plan.notes).toContain(
        "its own BEGIN (line 2) … COMMIT (line 5) is the migration's transaction: tenon runs the statements between in its own",
      );
    },
  );

  it('still parses a transaction:false section (bad SQL and BEGIN are refused)', async () => {
    await expect(
      planMigration(source('-- migrate:up transaction:false\nselec 1;\n'), 'up', { kind: 'postgres' }),
    ).rejects.toMatchObject({ code: 'TENON_SQL_PARSE_FAILED' });
    await expect(
      planMigration(source('-- migrate:up transaction:false\nbegin;\n'), 'up', { kind: 'postgres' }),
    ).rejects.toMatchObject({ code: 'TENON_MIGRATE_TRANSACTION_CONTROL' });
  });

  it('flags a value added and used in one transaction, with the way out in the hint', async () => {
    const error = await planMigration(source(`-- migrate:up\n${addAndUse}`), 'up', { kind: 'postgres' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTenonError(error, 'TENON_MIGRATE_ENUM_VALUE_IN_TRANSACTION')).toBe(true);
    expect((error as { hint: string }).hint).toContain('transaction:false');
    expect((error as { details: unknown }).details).toMatchObject({
      line: 3,
      value: 'happy',
      type: 'app.mood',
    });
  });

  it.each([
    ['added alone', "alter type mood add value 'happy';\nselect 1;"],
    ['another value used', "alter type mood add value 'happy';\nupdate people set m = 'sad';"],
    [
      'type created in the same migration',
      "create type mood as enum ('ok');\nalter type mood add value 'happy';\ncreate table p (m mood default 'happy');",
    ],
    ['used before it is added', "update people set m = 'happy';\nalter type mood add value 'happy';"],
    ['renamed, not added', "alter type mood rename value 'sad' to 'happy';\nupdate people set m = 'happy';"],
  ])('does not flag: %s', async (_, sql) => {
    const plan = await planMigration(source(`-- migrate:up\n${sql}\n`), 'up', { kind: 'postgres' });
    expect(plan.transactional).toBe(true);
  });

  it.each([
    [
      'on the using statement',
      "alter type mood add value 'sad';\n-- tenon-lint-disable enum-value-in-transaction -- log.note is text\ninsert into log (note) values ('sad');",
    ],
    [
      'at the end of the using statement',
      "alter type mood add value 'sad';\ninsert into log (note) values ('sad'); -- tenon-lint-disable enum-value-in-transaction",
    ],
    [
      'for the section',
      "-- tenon-lint-disable-file enum-value-in-transaction\nalter type mood add value 'sad';\ninsert into log (note) values ('sad');",
    ],
  ])('lets the directive that names the rule switch the check off: %s', async (_, sql) => {
    const plan = await planMigration(source(`-- migrate:up\n${sql}\n`), 'up', { kind: 'postgres' });
    expect(plan.transactional).toBe(true);
  });

  it.each([
    [
      'a bare directive (every lint rule)',
      "alter type mood add value 'sad';\n-- tenon-lint-disable\ninsert into log (note) values ('sad');",
    ],
    [
      'a directive on another statement',
      "-- tenon-lint-disable enum-value-in-transaction\nalter type mood add value 'sad';\ninsert into log (note) values ('sad');",
    ],
    [
      'the rule named inside a string',
      "alter type mood add value 'sad';\ninsert into log (note) values ('sad -- tenon-lint-disable-file enum-value-in-transaction');\nupdate log set note = 'sad';",
    ],
  ])('still flags with %s', async (_, sql) => {
    await expect(
      planMigration(source(`-- migrate:up\n${sql}\n`), 'up', { kind: 'postgres' }),
    ).rejects.toMatchObject({
      code: 'TENON_MIGRATE_ENUM_VALUE_IN_TRANSACTION',
    });
  });
});
