import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDatabase } from '../../src/core/db/pglite-database.js';
import { type PgliteServer, servePglite } from '../../src/demo/pglite-server.js';

describe('servePglite: one in-process PGlite over the wire protocol', () => {
  let db: PgliteDatabase;
  let server: PgliteServer;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await PgliteDatabase.open({ dataDir: undefined, displayUrl: 'pglite://memory' });
    server = await servePglite(db.instance);
    pool = new pg.Pool({ connectionString: server.url, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
    await server?.close();
    await db?.close();
  });

  it('answers pg clients with parameters, and the process sees the same data', async () => {
    await pool.query('create table t (id int primary key, v text)');
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => pool.query('insert into t values ($1, $2)', [i, `v${i}`])),
    );
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from t where v like $1', [
      'v1%',
    ]);
    expect(rows[0]!.n).toBe(111);
    const inProcess = await db.query<{ n: number }>('select count(*)::int as n from t');
    expect(inProcess.rows[0]!.n).toBe(200);
  });

  it('keeps an open transaction to its client: others wait and never see its rows', async () => {
    const a = await pool.connect();
    try {
      await a.query('begin');
      await a.query("insert into t values (1000, 'uncommitted')");
      const other = pool.query<{ n: number }>('select count(*)::int as n from t');
      let answered = false;
      void other.then(() => {
        answered = true;
      });
      await new Promise((r) => setTimeout(r, 100));
      // The other client waits for the backend while the transaction is open.
      expect(answered).toBe(false);
      await a.query('rollback');
      expect((await other).rows[0]!.n).toBe(200);
    } finally {
      a.release();
    }
  });

  it('rolls back the transaction of a client that disconnects inside it', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('begin');
    await client.query("insert into t values (2000, 'lost')");
    await client.end();
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from t where id = 2000');
    expect(rows[0]!.n).toBe(0);
  });

  it('reports SQL errors to the client and keeps serving', async () => {
    await expect(pool.query('select * from missing_table')).rejects.toThrow(/missing_table/);
    expect((await pool.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('closes: the port stops accepting', async () => {
    const extra = await servePglite(db.instance);
    await extra.close();
    const client = new pg.Client({ connectionString: extra.url, connectionTimeoutMillis: 1000 });
    await expect(client.connect()).rejects.toThrow(/ECONNREFUSED/);
  });
});
