import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suggestIndexes } from '../../../src/analyze/index.js';
import { connect, type Database } from '../../../src/core/db/index.js';
import { resetStatements } from '../fixtures/shop-fixture.js';

describe('index advisor on a write-heavy table (PGlite)', () => {
  let db: Database;

  beforeAll(async () => {
    db = await connect({ databaseUrl: 'pglite://memory' });
    await db.exec(`
      create extension pg_stat_statements;
      create table readings (id bigint generated always as identity primary key, device int not null, value float8);
      insert into readings (device, value) select g % 400, g from generate_series(1, 30000) g;
    `);
    await db.exec('analyze');
    await resetStatements(db);
    // 15 writing calls per reading call: an index on device would slow every insert.
    for (let i = 0; i < 300; i++)
      await db.query('insert into readings (device, value) values ($1, $2)', [i % 400, i]);
    for (let i = 0; i < 20; i++) await db.query('select value from readings where device = $1', [i]);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  it('counts writing and reading statements, not rows, and asks a write-heavy table for a bigger saving', async () => {
    const normal = await suggestIndexes({ db, config: { writeHeavyRatio: 100 } });
    expect(normal.recommendations).toMatchObject([
      { table: 'public.readings', columns: ['device'], writeHeavy: false, writesPerRead: 15 },
    ]);
    const saving =
      1 -
      normal.recommendations[0]!.queries[0]!.costAfter / normal.recommendations[0]!.queries[0]!.costBefore;

    const heavy = await suggestIndexes({
      db,
      config: { writeHeavyRatio: 10, writeHeavyMinCostSaving: Math.min(0.99, saving - 0.01) },
    });
    expect(heavy.recommendations).toMatchObject([{ writeHeavy: true, writesPerRead: 15 }]);

    const strict = await suggestIndexes({
      db,
      config: { writeHeavyRatio: 10, writeHeavyMinCostSaving: Math.min(0.999, saving + 0.005) },
    });
    expect(strict.recommendations).toEqual([]);
  });
});
