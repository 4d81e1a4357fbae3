import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { connect } from '../../../src/core/db/connect.js';
import { requirePostgres, SERVER_DATABASE_URL } from '../../support/services.js';

const server = await requirePostgres();

/** The server backends with this application name, read from another connection. */
async function backends(applicationName: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: SERVER_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where application_name = $1 order by pid',
      [applicationName],
    );
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

/** The backends left after a close: the server drops one when the client's Terminate arrives, so poll briefly. */
async function leftAfterClose(applicationName: string): Promise<number[]> {
  let left = await backends(applicationName);
  for (let i = 0; i < 50 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = await backends(applicationName);
  }
  return left;
}

describe.skipIf(!server.available)(
  'PostgresDatabase: the connection that checked the URL is the first one used',
  () => {
    it('a query runs on the checked connection: one backend, not two', async () => {
      const applicationName = `tenon-one-conn-${randomBytes(4).toString('hex')}`;
      const db = await connect({ databaseUrl: SERVER_DATABASE_URL, applicationName, maxConnections: 3 });
      try {
        const before = await backends(applicationName);
        expect(before).toHaveLength(1);
        const { rows } = await db.query<{ pid: number }>('select pg_backend_pid() as pid');
        expect([rows[0]!.pid]).toEqual(before);
        expect(await backends(applicationName)).toEqual(before);
      } finally {
        await db.close();
      }
      expect(await leftAfterClose(applicationName)).toEqual([]);
    });

    it('closing before any query ends the checked connection too', async () => {
      const applicationName = `tenon-one-conn-${randomBytes(4).toString('hex')}`;
      const db = await connect({ databaseUrl: SERVER_DATABASE_URL, applicationName, maxConnections: 3 });
      expect(await backends(applicationName)).toHaveLength(1);
      await db.close();
      expect(await leftAfterClose(applicationName)).toEqual([]);
    });

    it('a second session at once opens a second connection, and both are closed', async () => {
      const applicationName = `tenon-one-conn-${randomBytes(4).toString('hex')}`;
      const db = await connect({ databaseUrl: SERVER_DATABASE_URL, applicationName, maxConnections: 3 });
      try {
        const pids = await db.withSession(async (a) =>
          db.withSession(async (b) => [
            (await a.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid,
            (await b.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid,
          ]),
        );
        expect(new Set(pids).size).toBe(2);
        expect(await backends(applicationName)).toEqual([...pids].sort((x, y) => x - y));
      } finally {
        await db.close();
      }
      expect(await leftAfterClose(applicationName)).toEqual([]);
    });
  },
);
