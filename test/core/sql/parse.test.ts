import { describe, expect, it } from 'vitest';
import { isTenonError } from '../../../src/core/errors.js';
import { lineAndColumn, parseSql } from '../../../src/core/sql/parse.js';

describe('parseSql', () => {
  it('splits a script into statements with their line and column', async () => {
    const sql =
      "create table a (id int);\n\n-- a comment; with a semicolon\ninsert into a values (1);\n  select 'x;y' ; select 1";
    const statements = await parseSql(sql);
    expect(statements.map((s) => [s.kind, s.line, s.column, s.text])).toEqual([
      ['CreateStmt', 1, 1, 'create table a (id int)'],
      ['InsertStmt', 4, 1, 'insert into a values (1)'],
      ['SelectStmt', 5, 3, "select 'x;y'"],
      ['SelectStmt', 5, 18, 'select 1'],
    ]);
  });

  it('keeps dollar-quoted bodies whole and counts non-ASCII text correctly', async () => {
    const sql = "create function f() returns text language sql as $$ select 'é;ü' $$;\nselect 'ø';";
    const statements = await parseSql(sql);
    expect(statements).toHaveLength(2);
    expect(statements[0]!.text).toContain("'é;ü'");
    expect(statements[1]).toMatchObject({ line: 2, column: 1, text: "select 'ø'" });
  });

  it('places every statement of a long script as lineAndColumn does from the start (non-ASCII, several a line, a line offset)', async () => {
    const parts: string[] = [];
    for (let i = 0; i < 60; i++) {
      parts.push(
        i % 3 === 0
          ? `insert into t values ('é${i}', 'ø'); select ${i};`
          : `-- note ü ${i}\r\ncomment on table t is 'ç\n${i}';\n`,
      );
    }
    const sql = parts.join('\n  ');
    const bytes = Buffer.from(sql, 'utf8');
    const statements = await parseSql(sql, { lineOffset: 7 });
    expect(statements).toHaveLength(20 * 2 + 40);
    for (const statement of statements) {
      const expected = lineAndColumn(bytes, statement.start);
      expect([statement.line, statement.column]).toEqual([expected.line + 7, expected.column]);
    }
    // Spot check against the text itself: the last statement is the last comment on line …
    const last = statements.at(-1)!;
    expect(sql.split('\n')[last.line - 8]!.slice(last.column - 1)).toMatch(/^comment on table t is 'ç$/);
  });

  it.each([
    ['create index concurrently i on t (x)', 'CREATE INDEX CONCURRENTLY'],
    ['create unique index concurrently if not exists i on t (x)', 'CREATE INDEX CONCURRENTLY'],
    ['drop index concurrently if exists i', 'DROP INDEX CONCURRENTLY'],
    ['reindex index concurrently i', 'REINDEX CONCURRENTLY'],
    ['reindex (concurrently) table t', 'REINDEX CONCURRENTLY'],
    ['reindex database app', 'REINDEX DATABASE/SYSTEM'],
    ['vacuum analyze t', 'VACUUM'],
    ['alter table p detach partition c concurrently', 'ALTER TABLE … DETACH PARTITION CONCURRENTLY'],
    ['create database x', 'CREATE DATABASE'],
    ['alter system set work_mem = 1', 'ALTER SYSTEM'],
    ['cluster', 'CLUSTER without a table'],
  ])('detects that "%s" cannot run in a transaction', async (sql, reason) => {
    const [statement] = await parseSql(sql);
    expect(statement!.nonTransactional).toBe(reason);
  });

  it.each([
    'create index i on t (x)',
    'drop index i',
    'reindex index i',
    'analyze t',
    'cluster t using i',
    "alter type mood add value 'meh'",
    'alter table p detach partition c',
  ])('lets "%s" run in a transaction', async (sql) => {
    const [statement] = await parseSql(sql);
    expect(statement!.nonTransactional).toBeUndefined();
  });

  it('marks transaction control statements', async () => {
    const statements = await parseSql('begin; select 1; commit;');
    expect(statements.map((s) => s.transactionControl)).toEqual([true, false, true]);
  });

  it('reports syntax errors with file, line and column (after a line offset)', async () => {
    const error = await parseSql("select 'é';\nselect * form t;", {
      file: 'm/001_x.sql',
      lineOffset: 2,
    }).catch((e) => e);
    expect(isTenonError(error, 'TENON_SQL_PARSE_FAILED')).toBe(true);
    expect(error.details).toMatchObject({ file: 'm/001_x.sql', line: 4, column: 10 });
    expect(error.message).toBe('m/001_x.sql:4:10: syntax error at or near "form"');
  });

  it('returns nothing for comments only', async () => {
    expect(await parseSql('-- nothing here\n/* at all */')).toEqual([]);
  });
});
