import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createPostgresDb } from '../../src/db/database.js';
import { StatementNames } from '../../src/db/statement-names.js';
import { createTestDatabase, type TestDatabase } from './database.js';

describe('statement names', () => {
  it('name each parameterized text once, leave texts without parameters unnamed, and stop at the cap', () => {
    const names = new StatementNames(2);
    const a = names.nameOf('select 1 from t where id = $1', [1]);
    expect(a).toBeDefined();
    expect(names.nameOf('select 1 from t where id = $1', [2])).toBe(a);
    expect(names.nameOf('select 1', [])).toBeUndefined();
    const b = names.nameOf('select 2 from t where id = $1', [1]);
    expect(b).toBeDefined();
    expect(b).not.toBe(a);
    expect(names.nameOf('select 3 from t where id = $1', [1])).toBeUndefined();
    names.forget('select 1 from t where id = $1');
    const again = names.nameOf('select 1 from t where id = $1', [1]);
    expect(again).toBeDefined();
    expect(again).not.toBe(a);
  });
});

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.exec('create table statement_probe (id integer primary key, v integer not null); insert into statement_probe values (1, 10), (2, 20);');
});
afterAll(async () => {
  await database?.drop();
});

describe('queries on PostgreSQL', () => {
  it('run as named statements, one per text on a connection, unless DB_PREPARED_STATEMENTS=false', async () => {
    const url = database.config.DATABASE_URL;
    if (!url) return; // PGlite: one connection, statements are not named.
    for (const [setting, expected] of [['true', 1], ['false', 0]] as const) {
      const db = createPostgresDb(loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, DB_POOL_MAX: '1', DB_PREPARED_STATEMENTS: setting }));
      try {
        for (const id of [1, 2, 1]) await db.query('select v from statement_probe where id = $1', [id]);
        const { rows } = await db.query<{ n: number }>(
          "select count(*)::int as n from pg_prepared_statements where statement like '%from statement_probe where id = $1%'",
        );
        expect(rows[0]!.n).toBe(expected);
      } finally {
        await db.close();
      }
    }
  });

  it('turn names off, with one warning, when the session does not hold them (a pooler sharing sessions, DISCARD ALL)', async () => {
    const url = database.config.DATABASE_URL;
    if (!url) return; // PGlite: one connection, statements are not named.
    const db = createPostgresDb(loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, DB_POOL_MAX: '1' }));
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const read = async (id: number) => (await db.query<{ v: number }>('select v from statement_probe where id = $1', [id])).rows[0]!.v;
      expect(await read(1)).toBe(10);
      // What a pooler does when it hands this connection another server session: the name is gone.
      await db.exec('deallocate all');
      expect(await read(2)).toBe(20);
      expect(await read(1)).toBe(10);
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements where statement like $1', ['%from statement_probe where id = $1%']);
      expect(rows[0]!.n).toBe(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => (w as Error & { code?: string }).code)).toEqual(['DB_PREPARED_STATEMENTS_OFF']);
    } finally {
      process.off('warning', onWarning);
      await db.close();
    }
  });

  it('keep answering after a migration changes the type of a column a prepared statement returns', async () => {
    const read = () =>
      Promise.all([1, 2, 1, 2, 1, 2].map((id) => database.db.query<{ v: unknown }>('select id, v from statement_probe where id = $1', [id])));
    expect((await read()).map((r) => r.rows[0]!.v)).toEqual([10, 20, 10, 20, 10, 20]);
    await database.db.exec('alter table statement_probe alter column v type text');
    expect((await read()).map((r) => r.rows[0]!.v)).toEqual(['10', '20', '10', '20', '10', '20']);
    expect((await read()).map((r) => r.rows[0]!.v)).toEqual(['10', '20', '10', '20', '10', '20']);
  });
});
