import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../src/core/db/connect.js';
import type { Database } from '../../../src/core/db/database.js';
import { isTenonError } from '../../../src/core/errors.js';
import { createTempDatabase, requirePostgres, type TempDatabase } from '../../support/services.js';

const server = await requirePostgres();

/**
 * One suite, two implementations: whatever tenon's code relies on must
 * behave the same on PGlite and on server PostgreSQL.
 */
function contract(name: string, open: () => Promise<{ db: Database; done: () => Promise<void> }>) {
  describe(`Database contract: ${name}`, () => {
    let db: Database;
    let done: () => Promise<void>;
    beforeAll(async () => {
      ({ db, done } = await open());
      await db.exec(
        'create table items (id bigint generated always as identity primary key, name text not null unique, price numeric, data jsonb, at timestamptz default now())',
      );
    });
    afterAll(async () => {
      await db.close();
      await done();
    });

    it('reports its kind and a numeric server version', () => {
      expect(db.kind).toBe(name);
      expect(db.serverVersion).toBeGreaterThanOrEqual(130000);
    });

    it('runs parameterized statements and counts rows', async () => {
      const inserted = await db.query(
        'insert into items (name, price, data) values ($1, $2, $3), ($4, $5, $6) returning id',
        ['a', '1.50', { k: 1 }, 'b', '2', null],
      );
      expect(inserted.rowCount).toBe(2);
      const updated = await db.query('update items set price = price + 1 where name = $1', ['a']);
      expect(updated.rowCount).toBe(1);
      const none = await db.query('select * from items where name = $1', ['zzz']);
      expect(none).toEqual({ rows: [], rowCount: 0 });
    });

    it('returns the same JavaScript types', async () => {
      const { rows } = await db.query<{
        id: unknown;
        price: unknown;
        data: unknown;
        at: unknown;
        n: unknown;
        big: unknown;
      }>(
        "select id, price, data, at, 2::int4 as n, 9007199254740993::int8 as big from items where name = 'a'",
      );
      const row = rows[0]!;
      expect(typeof row.id).toBe('string'); // int8: strings, never a lossy number
      expect(row.big).toBe('9007199254740993');
      expect(row.price).toBe('2.50');
      expect(row.data).toEqual({ k: 1 });
      expect(row.at).toBeInstanceOf(Date);
      expect(row.n).toBe(2);
    });

    it('runs multi-statement scripts with exec', async () => {
      await db.exec(
        'create table t1 (x int); insert into t1 values (1), (2); create table t2 as select * from t1;',
      );
      const { rows } = await db.query<{ c: number }>('select count(*)::int as c from t2');
      expect(rows[0]!.c).toBe(2);
    });

    it('commits and rolls back transactions', async () => {
      await db.transaction(async (tx) => {
        await tx.query("insert into items (name) values ('committed')");
      });
      await expect(
        db.transaction(async (tx) => {
          await tx.query("insert into items (name) values ('rolled-back')");
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const { rows } = await db.query<{ name: string }>(
        "select name from items where name in ('committed', 'rolled-back')",
      );
      expect(rows.map((r) => r.name)).toEqual(['committed']);
    });

    it('uses savepoints for nested transactions', async () => {
      await db.transaction(async (tx) => {
        await tx.query("insert into items (name) values ('outer')");
        await expect(
          tx.transaction(async (inner) => {
            await inner.query("insert into items (name) values ('inner')");
            await inner.query("insert into items (name) values ('outer')"); // unique violation
          }),
        ).rejects.toSatisfy((e) => isTenonError(e, 'TENON_DB_QUERY_FAILED'));
      });
      const { rows } = await db.query<{ name: string }>(
        "select name from items where name in ('outer', 'inner')",
      );
      expect(rows.map((r) => r.name)).toEqual(['outer']);
    });

    it('keeps session settings within withSession', async () => {
      const value = await db.withSession(async (s) => {
        await s.exec("set application_name = 'contract-session'");
        const { rows } = await s.query<{ application_name: string }>('show application_name');
        return rows[0]!.application_name;
      });
      expect(value).toBe('contract-session');
    });

    it('does not interleave concurrent transactions', async () => {
      await db.exec('create table counter (n int); insert into counter values (0);');
      await Promise.all(
        Array.from({ length: 10 }, () =>
          db.transaction(async (tx) => {
            const { rows } = await tx.query<{ n: number }>('select n from counter for update');
            await tx.query('update counter set n = $1', [rows[0]!.n + 1]);
          }),
        ),
      );
      const { rows } = await db.query<{ n: number }>('select n from counter');
      expect(rows[0]!.n).toBe(10);
    });

    it('reports SQL errors with SQLSTATE, position and hint', async () => {
      const error = await db.query('select * from no_such_table where x = $1', [1]).catch((e) => e);
      expect(isTenonError(error, 'TENON_DB_QUERY_FAILED')).toBe(true);
      expect(error.details.sqlState).toBe('42P01');
      expect(error.details.position).toBe(15);
      expect(error.message).toMatch(/no_such_table/);
      const withHint = await db.query('select lenght($1::text)', ['x']).catch((e) => e);
      expect(withHint.details.sqlState).toBe('42883');
      expect(withHint.hint).toMatch(/explicit type casts|No function matches/i);
    });

    it('stays usable after an error inside a transaction', async () => {
      await db.transaction(async (tx) => tx.query('select 1/0')).catch(() => undefined);
      const { rows } = await db.query<{ one: number }>('select 1 as one');
      expect(rows[0]!.one).toBe(1);
    });
  });
}

contract('pglite', async () => ({
  db: await connect({ databaseUrl: 'pglite://memory' }),
  done: async () => {},
}));

describe.skipIf(!server.available)(`server PostgreSQL (${server.reason || 'available'})`, () => {
  let temp: TempDatabase;
  contract('postgres', async () => {
    temp = await createTempDatabase();
    return { db: await connect({ databaseUrl: temp.url }), done: () => temp.drop() };
  });
});
