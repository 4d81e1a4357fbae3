import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_TENON_SQL, TAG } from '../../src/analyze/sql-text.js';
import { connect } from '../../src/core/db/connect.js';
import type { Database } from '../../src/core/db/database.js';

/** The pg_stat_statements filter, run by PostgreSQL (PGlite) on statement texts as they appear there. */
describe('NOT_TENON_SQL', () => {
  let db: Database;
  beforeAll(async () => {
    db = await connect({ databaseUrl: 'pglite://memory' });
  }, 60_000);
  afterAll(() => db?.close());

  it('keeps the application’s statements and leaves out tenon’s own, session control and catalog queries', async () => {
    const texts = [
      'select * from orders where customer_id = $1',
      'update products set price = $1 where id = $2',
      'insert into settings (key) values ($1)',
      'with s as (select 1) select * from s',
      `select ${TAG} count(*) from orders`,
      'SET statement_timeout = 0',
      'begin',
      'COMMIT',
      'explain select 1',
      'DEALLOCATE ALL',
      'create index tenon_candidate_1 on orders (customer_id)',
      'select c.relname from pg_catalog.pg_class c',
    ];
    const { rows } = await db.query<{ query: string }>(
      `select query from unnest($1::text[]) with ordinality as t(query, i) where ${NOT_TENON_SQL} order by i`,
      [texts],
    );
    expect(rows.map((r) => r.query)).toEqual(texts.slice(0, 4));
  });
});
