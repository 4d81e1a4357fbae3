import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SuggestIndexesResult, suggestIndexes } from '../../../src/analyze/index.js';
import { connect, type Database } from '../../../src/core/db/index.js';
import { createTempDatabase, requireExtPostgres, type TempDatabase } from '../../support/services.js';
import { resetStatements } from '../fixtures/shop-fixture.js';

const ext = await requireExtPostgres();

/** A catalogue app: paginated listings by genre, a search box, open loans, a price report. */
async function build(db: Database): Promise<void> {
  await db.exec(`
    create extension if not exists pg_stat_statements;
    create table books (id bigint primary key, genre text not null, price numeric(8, 2) not null, title text not null);
    insert into books select g, 'genre' || (g % 20), (g * 7919) % 5000 / 100.0, 'Book ' || md5(g::text)
      from generate_series(1, 50000) g;
    create table loans (id bigint primary key, book_id bigint not null, due date not null, returned_at timestamptz);
    insert into loans select g, 1 + g % 50000, date '2026-01-01' + g % 300,
      case when g % 100 = 0 then null else now() end from generate_series(1, 50000) g;
    create table readings (id bigint primary key, sensor int not null, at timestamptz not null, payload text not null);
    insert into readings select g, g % 20, now() - (g || ' seconds')::interval, repeat('p', 200)
      from generate_series(1, 50000) g;
  `);
  await db.exec('vacuum analyze');
  // An index-only scan pays only on all-visible pages; a transaction still open elsewhere
  // when VACUUM ran can leave some unmarked, so VACUUM again until they all are.
  for (let i = 0; i < 20; i++) {
    const { rows } = await db.query<{ done: boolean }>(
      "select relallvisible >= relpages as done from pg_class where relname = 'readings'",
    );
    if (rows[0]?.done) break;
    await new Promise((r) => setTimeout(r, 250));
    await db.exec('vacuum readings');
  }
  await resetStatements(db);
  for (let i = 0; i < 15; i++) {
    await db.query(
      'select id, title, price from books where genre = $1 order by price desc, id desc limit $2 offset $3',
      [`genre${i}`, 20, 40],
    );
    await db.query('select id, due from loans where book_id = $1 and returned_at is null', [100 * i]);
    await db.query('select id, title from books where title ilike $1', [`%${i}ab%`]);
    await db.query('select at from readings where sensor = $1', [i]);
  }
}

function recommended(advice: SuggestIndexesResult) {
  return advice.recommendations.map((r) => ({
    table: r.table,
    columns: r.columns,
    descending: r.descending,
    predicate: r.predicate,
    include: r.include,
    indexType: r.indexType,
    method: r.method,
  }));
}

function expectKinds(advice: SuggestIndexesResult, method: 'hypopg' | 'real-index'): void {
  const recs = recommended(advice);
  const sort = recs.find((r) => r.table === 'public.books' && r.indexType === 'btree');
  expect(sort?.columns).toEqual(['genre', 'price', 'id']);
  // DESC as written, or all ascending (read backward): both serve the ORDER BY.
  expect([undefined, [false, true, true]]).toContainEqual(sort?.descending);
  expect(recs).toContainEqual(
    expect.objectContaining({
      table: 'public.loans',
      columns: ['book_id'],
      predicate: 'returned_at IS NULL',
    }),
  );
  // GIN cannot be hypothetical: the trigram index is always a rolled-back real build.
  expect(recs).toContainEqual(
    expect.objectContaining({
      table: 'public.books',
      columns: ['title'],
      indexType: 'gin-trgm',
      method: 'real-index',
    }),
  );
  expect(recs).toContainEqual(
    expect.objectContaining({ table: 'public.readings', columns: ['sensor'], include: ['at'], method }),
  );
}

async function typedRetry(db: Database): Promise<void> {
  const advice = await suggestIndexes({
    db,
    queries: [
      'select title from books where id = $1 + $2',
      'select title from books where id = $1 and $2 + $3 = $4',
    ],
  });
  const reason = (id: string) => advice.skipped.find((s) => s.queryId === id)?.reason ?? '';
  // Planned with (bigint, bigint) where PREPARE alone says "operator is not unique: unknown + unknown".
  expect(reason('file:1')).not.toMatch(/no generic plan/);
  expect(reason('file:2')).toMatch(
    /^no generic plan: .*unknown \+ unknown; retried with parameter types \(bigint, unknown, unknown, unknown\): .*unknown \+ unknown; retried with parameter types \(bigint, text, text, text\): .*text \+ text/,
  );
}

describe('index kinds on PGlite (priced by rolled-back real builds)', () => {
  let db: Database;

  beforeAll(async () => {
    db = await connect({ databaseUrl: 'pglite://memory' });
    await build(db);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  it('recommends sort-serving, partial, trigram and covering indexes', async () => {
    const advice = await suggestIndexes({ db });
    expectKinds(advice, 'real-index');
    const { rows } = await db.query<{ n: string }>(
      "select count(*)::text as n from pg_extension where extname = 'pg_trgm'",
    );
    expect(rows[0]!.n).toBe('0'); // created inside the rolled-back transaction only
  }, 120_000);

  it('plans a statement with typed parameters when PostgreSQL cannot infer them, and says why when it gives up', async () => {
    await typedRetry(db);
  });
});

describe.skipIf(!ext.available)(`index kinds on PostgreSQL with hypopg (${ext.reason})`, () => {
  let temp: TempDatabase;
  let db: Database;

  beforeAll(async () => {
    temp = await createTempDatabase(ext.url, 'tenon_kinds');
    db = await connect({ databaseUrl: temp.url });
    await db.withSession(build);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await temp?.drop();
  });

  it('recommends the same kinds, hypothetical where hypopg can and real where it cannot', async () => {
    expectKinds(await suggestIndexes({ db }), 'hypopg');
  }, 120_000);

  it('plans a statement with typed parameters when PostgreSQL cannot infer them, and says why when it gives up', async () => {
    await typedRetry(db);
  });
});
