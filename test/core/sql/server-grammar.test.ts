import { describe, expect, it } from 'vitest';
import { isTenonError } from '../../../src/core/errors.js';
import {
  checkSqlForServer,
  GRAMMAR_WORKER_MIN_BYTES,
  grammarMajorFor,
  serverGrammarAcceptsAll,
  startServerGrammarCheck,
} from '../../../src/core/sql/server-grammar.js';

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("checkSqlForServer (the server's own grammar)", () => {
  it('picks the grammar of the server, 15 for 14 (no usable 14 build), none from 18', () => {
    expect([130012, 140010, 150019, 160004, 170002, 180006, 190000].map(grammarMajorFor)).toEqual([
      13,
      15,
      15,
      16,
      17,
      undefined,
      undefined,
    ]);
  });

  it('refuses a subquery without an alias on PostgreSQL 15, with file, line and column', async () => {
    const sql = 'create table t (id int);\n\ninsert into t select * from (select 1);\n';
    const error = await failure(
      checkSqlForServer(sql, 150019, { file: '20260101000000_x.sql', lineOffset: 1 }),
    );
    expect(isTenonError(error, 'TENON_SQL_UNSUPPORTED_BY_SERVER')).toBe(true);
    expect((error as Error).message).toBe(
      "20260101000000_x.sql:4:29: PostgreSQL 15 cannot parse this SQL: subquery in FROM must have an alias. PostgreSQL 18's grammar accepts it: it is syntax of a newer version. Nothing was run.",
    );
    expect((error as { details: unknown }).details).toMatchObject({ line: 4, column: 29, serverMajor: 15 });
    await expect(checkSqlForServer(sql, 160004)).resolves.toBeUndefined();
  });

  it("refuses PostgreSQL 18's CONSTRAINT … NOT NULL on 17, and names the grammar used for 14", async () => {
    const notNull = 'alter table t add constraint t_a_nn not null a;';
    expect(
      isTenonError(await failure(checkSqlForServer(notNull, 170002)), 'TENON_SQL_UNSUPPORTED_BY_SERVER'),
    ).toBe(true);
    await expect(checkSqlForServer(notNull, 180000)).resolves.toBeUndefined();
    const on14 = await failure(checkSqlForServer('select * from (select 1);', 140010));
    expect((on14 as Error).message).toContain("(checked with PostgreSQL 15's grammar)");
  });

  it('checks many scripts in one parse: true when the server parses all, false when it refuses one', async () => {
    const scripts = [
      'create table t (id int) -- a comment at the end',
      '',
      "insert into t values (1); select 'a;b'",
      'create function f() returns int language sql as $$ select 1 $$',
    ];
    await expect(serverGrammarAcceptsAll(scripts, 150019)).resolves.toBe(true);
    const newer = [...scripts, 'select * from (select 1)'];
    await expect(serverGrammarAcceptsAll(newer, 150019)).resolves.toBe(false);
    await expect(serverGrammarAcceptsAll(newer, 160004)).resolves.toBe(true);
    // From 18 on, tenon's own parser is the server's grammar: nothing to check.
    await expect(
      serverGrammarAcceptsAll(['alter table t add constraint c not null a'], 180000),
    ).resolves.toBe(true);
  });

  it('checks a long history on a worker thread, with the same verdicts', async () => {
    const scripts = ["create table t (id int, note text default 'é…')", 'insert into t (id) values (1)'];
    // workerMinBytes 0: even this short text goes to the worker (and stays there: no fallback).
    const verdict = async (texts: string[], version: number) => {
      const check = startServerGrammarCheck(texts, version, { workerMinBytes: 0 });
      return [await check(), check.thread];
    };
    expect(await verdict(scripts, 150019)).toEqual([true, 'worker']);
    const newer = [...scripts, 'select * from (select 1)'];
    expect(await verdict(newer, 150019)).toEqual([false, 'worker']);
    expect(await verdict(newer, 160004)).toEqual([true, 'worker']);
    // On 18 there is nothing to check, and no worker starts; a short text stays in this thread.
    expect(await verdict(newer, 180000)).toEqual([true, 'none']);
    const short = startServerGrammarCheck(newer, 150019);
    expect([await short(), short.thread]).toEqual([false, 'main']);
  });

  it('checks a 350-file history (250 KB) in this thread, and from 1 MB on a worker thread', async () => {
    // The corpus's supabase/auth history five times over is 250 KB of up sections: a worker thread
    // cost more CPU than its parse on the main thread, and saved no wall time (docs/migrate.md#performance).
    const file = `create table t (id bigint primary key, note text default 'é') -- ${'x'.repeat(600)}`;
    const history = Array.from({ length: 350 }, () => file);
    expect(history.join('\n;\n').length).toBeGreaterThan(200 * 1024);
    expect(history.join('\n;\n').length).toBeLessThan(GRAMMAR_WORKER_MIN_BYTES);
    const check = startServerGrammarCheck(history, 150019);
    expect([await check(), check.thread]).toEqual([true, 'main']);
    const longer = Array.from({ length: 1700 }, () => file);
    expect(longer.join('\n;\n').length).toBeGreaterThan(GRAMMAR_WORKER_MIN_BYTES);
    const onWorker = startServerGrammarCheck([...longer, 'select * from (select 1)'], 150019);
    expect([await onWorker(), onWorker.thread]).toEqual([false, 'worker']);
  });

  it("checks the bytes as written: multi-byte text, and a history larger than the grammar's first memory", async () => {
    // 20,000 statements with non-ASCII names and strings: megabytes of SQL, and a parse tree
    // far larger, so the WebAssembly memory grows while the text is copied in and parsed.
    const big = Array.from(
      { length: 20_000 },
      (_, i) => `insert into "tâble_${i}" (naïve) values ('crème brûlée ${i}', '日本語')`,
    );
    await expect(serverGrammarAcceptsAll(big, 150019)).resolves.toBe(true);
    await expect(serverGrammarAcceptsAll([...big, 'select * from (select 1)'], 150019)).resolves.toBe(false);
    // The refusal is at the end of the text: the check reads all of it, not a prefix.
    await expect(serverGrammarAcceptsAll([...big, 'select * from (select 1)'], 160004)).resolves.toBe(true);
  });
});
