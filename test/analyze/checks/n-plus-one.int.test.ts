import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzeResult, analyzeDatabase } from '../../../src/analyze/index.js';
import { connect, type Database } from '../../../src/core/db/index.js';

/**
 * N+1 from call patterns alone: no foreign keys in these schemas (like
 * pgbench without `-I f`), so the relation comes from column names; and a
 * clean twin whose lookups are as frequent but not per row of a list.
 */
const SCHEMA = `
  create extension if not exists pg_stat_statements;
  create table customers (id int primary key, name text not null);
  insert into customers select g, 'c' || g from generate_series(1, 2000) g;
  create table orders (id int primary key, customer_id int not null, total int not null);
  insert into orders select g, 1 + g % 2000, g % 97 from generate_series(1, 10000) g;
  create index orders_customer_id_idx on orders (customer_id);
  analyze;
`;

async function analyzeWorkload(
  workload: (db: Database) => Promise<void>,
  foreignKeys = false,
): Promise<AnalyzeResult> {
  const db = await connect({ databaseUrl: 'pglite://memory' });
  try {
    await db.exec(SCHEMA);
    if (foreignKeys)
      await db.exec('alter table orders add foreign key (customer_id) references customers (id)');
    await db.query('select pg_stat_statements_reset()');
    await workload(db);
    return await analyzeDatabase({ db, config: { only: ['n-plus-one'], minStatsAge: 0 } });
  } finally {
    await db.close();
  }
}

const titles = (r: AnalyzeResult) => r.findings.map((f) => f.title);

describe('n-plus-one without foreign keys', () => {
  let loop: AnalyzeResult;
  let clean: AnalyzeResult;

  beforeAll(async () => {
    loop = await analyzeWorkload(async (db) => {
      // A list of orders, then each order's customer one by one (parent by key).
      for (let page = 0; page < 6; page++) {
        const orders = await db.query<{ customer_id: number }>(
          'select id, customer_id, total from orders order by id limit 50 offset $1',
          [page * 50],
        );
        for (const o of orders.rows)
          await db.query('select id, name from customers where id = $1', [o.customer_id]);
      }
      // A list of customers, then each customer's orders one by one (children by parent key).
      for (let page = 0; page < 3; page++) {
        const customers = await db.query<{ id: number }>(
          'select id, name from customers order by name limit 40 offset $1',
          [page * 40],
        );
        for (const c of customers.rows)
          await db.query('select id, total from orders where customer_id = $1', [c.id]);
      }
    });
    // With the foreign key declared: the relation is certain, the call pattern is what must not match.
    clean = await analyzeWorkload(async (db) => {
      // A customer page, 300 times: the customer, then their orders. Both run 300 times; no list.
      for (let i = 0; i < 300; i++) {
        await db.query('select id, name from customers where id = $1', [1 + i * 3]);
        await db.query('select id, total from orders where customer_id = $1', [1 + i * 3]);
      }
    }, true);
  }, 120_000);

  afterAll(() => undefined);

  it('finds both loops from the call counts, naming the relation it inferred', () => {
    expect(titles(loop).sort()).toEqual([
      'public.customers is looked up by id 300 times, once per row of another statement on public.orders',
      'public.orders is looked up by customer_id 120 times, once per row of another statement on public.customers',
    ]);
    const byId = loop.findings.find((f) => f.object.table === 'public.customers')!;
    expect(byId.evidence).toMatchObject({
      relation: 'public.orders.customer_id → public.customers.id (by name)',
      parentRows: 300,
      parentCalls: 6,
    });
    expect(byId.evidence.window).toMatch(/^since/);
    const children = loop.findings.find((f) => f.object.table === 'public.orders')!;
    expect(children.evidence.relation).toBe('public.orders.customer_id → public.customers.id (by name)');
  });

  it('reports nothing on the clean twin: 300 lookups, but no statement returned a list of 300', () => {
    expect(clean.checks[0]?.status).toBe('ran');
    expect(titles(clean)).toEqual([]);
  });
});
