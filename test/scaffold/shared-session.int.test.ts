import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgliteServer, servePglite } from '../../src/demo/pglite-server.js';
// The database layer inside generated projects, imported from its template (copied verbatim into projects).
import { loadConfig } from '../../templates/common/src/config.js';
import { createPostgresDb } from '../../templates/common/src/db/database.js';

/**
 * A pooler that hands one server session to every connection (PgBouncer in
 * transaction mode before 1.21) makes named statements collide: the second
 * connection to prepare `tenon_0` gets "prepared statement already exists"
 * (42P05). The demo's socket-served PGlite shares its one session the same
 * way, so it stands in for the pooler. The generated app must notice, warn
 * once, and keep answering with unnamed statements.
 */
describe('the generated database layer behind a pooler that shares sessions', () => {
  let lite: PGlite;
  let server: PgliteServer;
  beforeAll(async () => {
    lite = new PGlite();
    await lite.exec(
      'create table probe (id integer primary key, v integer not null); insert into probe select g, g * 10 from generate_series(1, 8) g;',
    );
    server = await servePglite(lite);
  });
  afterAll(async () => {
    await server?.close();
    await lite?.close();
  });

  it('turns named statements off with one warning, and every query answers', async () => {
    const db = createPostgresDb(loadConfig({ NODE_ENV: 'test', DATABASE_URL: server.url, DB_POOL_MAX: '4' }));
    const warnings: (Error & { code?: string })[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const read = async (id: number) =>
        (await db.query<{ v: number }>('select v from probe where id = $1', [id])).rows[0]?.v;
      // Concurrent reads open several pooled connections over the one shared session.
      for (let round = 0; round < 3; round++) {
        const ids = [1, 2, 3, 4, 5, 6, 7, 8];
        expect(await Promise.all(ids.map(read))).toEqual(ids.map((id) => id * 10));
      }
      expect(db.pool?.().total).toBeGreaterThan(1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.code)).toEqual(['DB_PREPARED_STATEMENTS_OFF']);
    } finally {
      process.off('warning', onWarning);
      await db.close();
    }
  });
});
