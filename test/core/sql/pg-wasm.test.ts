import { parse, scan } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import { PgParseError, parseTree, scanTokens } from '../../../src/core/sql/pg-wasm.js';

// tenon calls libpg-query's WebAssembly directly (native copies in and out of its heap); the
// results must be the package's own, which is the reference here.
const SCRIPTS = [
  'create table users (id bigint primary key, email varchar(255) not null);',
  "insert into t (name) values ('café ☕'), ('naïve');\n-- a comment\nselect 1",
  "create index concurrently users_email on users (email); alter type mood add value 'happy';",
  `do $$ begin raise notice '${'x'.repeat(70_000)}'; end $$;`,
];

describe('pg-wasm', () => {
  it('parses to the same tree as the package, including multi-byte text and a large script', async () => {
    for (const sql of SCRIPTS) expect(await parseTree(sql)).toEqual(await parse(sql));
  });

  it('scans to the same tokens as the package', async () => {
    for (const sql of SCRIPTS) expect(await scanTokens(sql)).toEqual(await scan(sql));
  });

  it('reports a syntax error with the package message and 0-based character position', async () => {
    const sql = "select 'é';\nselec 1";
    const expected = await parse(sql).then(
      () => undefined,
      (error: { sqlDetails?: { message: string; cursorPosition: number } }) => error.sqlDetails,
    );
    const error = await parseTree(sql).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgParseError);
    expect((error as PgParseError).sqlDetails).toEqual({
      message: expected?.message,
      cursorPosition: expected?.cursorPosition,
    });
    expect((error as PgParseError).sqlDetails).toEqual({
      message: 'syntax error at or near "selec"',
      cursorPosition: 12,
    });
  });

  it('refuses the empty string as the package does', async () => {
    await expect(parseTree('')).rejects.toThrow('Query cannot be empty');
  });
});
