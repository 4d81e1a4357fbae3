import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, ESTIMATE_REUSE_MS, EXACT_TOTAL_LIMIT } from '../../src/db/row-count.js';
import { createTestDatabase, type TestDatabase } from './database.js';

let database: TestDatabase;
const ROWS = EXACT_TOTAL_LIMIT * 3;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.exec(`create table count_probe (id integer primary key, kind text not null);
    insert into count_probe select i, case when i % 10 = 0 then 'rare' else 'common' end from generate_series(1, ${ROWS}) as i;
    analyze count_probe;`);
});
afterAll(async () => {
  await database?.drop();
});

describe('list totals', () => {
  it('are exact up to EXACT_TOTAL_LIMIT rows', async () => {
    expect(await countRows(database.db, 'count_probe where id <= $1', [EXACT_TOTAL_LIMIT])).toEqual({
      total: EXACT_TOTAL_LIMIT,
      exact: true,
    });
    expect(await countRows(database.db, 'count_probe where id <= $1', [7])).toEqual({ total: 7, exact: true });
    expect(await countRows(database.db, 'count_probe where kind = $1', ['none'])).toEqual({ total: 0, exact: true });
  });

  it('above it, are the planner estimate, said so, and never below the rows seen', async () => {
    const all = await countRows(database.db, 'count_probe', []);
    expect(all.exact).toBe(false);
    expect(all.total).toBeGreaterThan(EXACT_TOTAL_LIMIT);
    expect(Math.abs(all.total - ROWS) / ROWS).toBeLessThan(0.2);
    const filtered = await countRows(database.db, 'count_probe where kind = $1', ['common']);
    expect(filtered.exact).toBe(false);
    expect(Math.abs(filtered.total - ROWS * 0.9) / (ROWS * 0.9)).toBeLessThan(0.2);
  });

  it('reuse an estimate for ESTIMATE_REUSE_MS, never an exact total', async () => {
    await database.db.exec(`create table reuse_probe as select i as id from generate_series(1, ${ROWS}) as i; analyze reuse_probe;`);
    const at = Date.now();
    const first = await countRows(database.db, 'reuse_probe where id > $1', [0], at);
    expect(first.exact).toBe(false);
    await database.db.exec('delete from reuse_probe where id > 5');
    // Within the window the same query answers the same estimate, still not exact.
    expect(await countRows(database.db, 'reuse_probe where id > $1', [0], at + ESTIMATE_REUSE_MS / 2)).toEqual(first);
    // Other parameters are another query: counted.
    expect(await countRows(database.db, 'reuse_probe where id > $1', [1], at + 1)).toEqual({ total: 4, exact: true });
    // After it, the rows are counted again; an exact total is never reused.
    expect(await countRows(database.db, 'reuse_probe where id > $1', [0], at + ESTIMATE_REUSE_MS)).toEqual({
      total: 5,
      exact: true,
    });
    await database.db.exec('insert into reuse_probe select i from generate_series(6, 10) as i');
    expect(await countRows(database.db, 'reuse_probe where id > $1', [0], at + ESTIMATE_REUSE_MS + 1)).toEqual({
      total: 10,
      exact: true,
    });
  });
});
