import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPlaceholders, explainQuery } from '../../src/analyze/index.js';
import { connect, type Database, isTenonError } from '../../src/index.js';
import { runTenon } from '../support/cli.js';
import { requirePostgres, SERVER_DATABASE_URL } from '../support/services.js';

const server = await requirePostgres();

describe('tenon db explain (PGlite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenon-explain-'));
  const url = `pglite://${join(dir, 'db')}`;
  let db: Database;

  beforeAll(async () => {
    db = await connect({ databaseUrl: url });
    await db.exec(`
      create table items (id bigint primary key, a int not null, b int not null, payload text not null);
      insert into items select g, g % 100, g % 100, md5(g::text) || md5((g * 7)::text) from generate_series(1, 50000) g;
      create table tags (id bigint primary key, item_id bigint not null, tag text);
      insert into tags select g, 1 + g % 2000, 't' || g from generate_series(1, 4000) g;
      create index tags_item_id_idx on tags (item_id);
      analyze;
    `);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  it('shows the generic plan of a statement with $n and no values', async () => {
    const r = await explainQuery({ db, sql: 'select * from items where a = $1' });
    expect(r).toMatchObject({ generic: true, analyzed: false });
    expect(r.summary.rootNode).toBe('Seq Scan on items');
    expect(r.summary.issues.map((i) => i.kind)).toContain('seq-scan');
    expect(r.summary.issues[0]!.advice).toMatch(/Index the filtered columns/);
  });

  it('plans with the given values', async () => {
    const r = await explainQuery({ db, sql: 'select * from items where id = $1', params: ['42'] });
    expect(r.generic).toBe(false);
    expect(r.summary.indexesUsed).toEqual(['items_pkey']);
    expect(r.summary.issues).toEqual([]);
  });

  it('runs with --analyze inside a transaction that is rolled back', async () => {
    const r = await explainQuery({
      db,
      sql: 'update items set payload = $1 where id = $2',
      params: ['changed', 7],
      analyze: true,
    });
    expect(r.analyzed).toBe(true);
    expect(r.summary.executionMs).toBeGreaterThan(0);
    const { rows } = await db.query<{ payload: string }>('select payload from items where id = 7');
    expect(rows[0]!.payload).not.toBe('changed');
  });

  it('finds misestimates, sorts spilling to disk and nested loops over many rows, each with what to do', async () => {
    const misestimate = await explainQuery({
      db,
      sql: 'select * from items where a = 1 and b = 1',
      analyze: true,
    });
    const off = misestimate.summary.issues.find((i) => i.kind === 'misestimate');
    expect(off?.detail).toMatch(/estimated \d+ rows, got 500/);
    expect(off?.advice).toMatch(/CREATE STATISTICS/);

    const sort = await explainQuery({ db, sql: 'select * from items order by payload', analyze: true });
    expect(sort.summary.issues.find((i) => i.kind === 'disk-sort')?.advice).toMatch(/work_mem/);
    expect(sort.summary.slowest.selfMs).toBeGreaterThan(0);

    const loop = await explainQuery({
      db,
      sql: 'select i.id, t.tag from items i cross join lateral (select tag from tags where tags.item_id = i.id limit 1) t where i.id <= 3000',
      analyze: true,
    });
    expect(loop.summary.issues.find((i) => i.kind === 'nested-loop')?.detail).toMatch(/runs 3000 times/);
  });

  it('rejects several statements, EXPLAIN itself and a wrong number of values', async () => {
    const codes = await Promise.all(
      [
        { sql: 'select 1; select 2' },
        { sql: 'explain select 1' },
        { sql: 'select * from items where id = $1 and a = $2', params: [1] },
        { sql: 'select * from items where id = $1', analyze: true },
      ].map((o) => explainQuery({ db, ...o }).catch((e: { code?: string }) => e.code)),
    );
    expect(codes).toEqual([
      'TENON_ANALYZE_EXPLAIN_INVALID',
      'TENON_ANALYZE_EXPLAIN_INVALID',
      'TENON_ANALYZE_PARAMS_MISMATCH',
      'TENON_ANALYZE_PARAMS_MISMATCH',
    ]);
  });

  it('counts placeholders outside literals and comments', () => {
    expect(countPlaceholders("select '$9', $2 /* $7 */ -- $8\n from t where a = $1")).toBe(2);
  });

  it('works from the command line, as text and as JSON', async () => {
    await db.close();
    const text = await runTenon([
      'db',
      'explain',
      'select * from items where a = $1',
      '--params',
      '3',
      '--analyze',
      '--database-url',
      url,
      '--no-color',
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('EXPLAIN (ANALYZE, BUFFERS), rolled back');
    expect(text.stdout).toMatch(/Seq Scan on items: reads 50000 rows/);
    const json = await runTenon([
      'db',
      'explain',
      'select * from tags where item_id = $1',
      '--json',
      '--database-url',
      url,
    ]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      generic: true,
      summary: { indexesUsed: ['tags_item_id_idx'] },
    });
    const bad = await runTenon(['db', 'explain', 'select 1; select 2', '--database-url', url]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('TENON_ANALYZE_EXPLAIN_INVALID');
    db = await connect({ databaseUrl: url });
  });
});

// PGlite runs statements synchronously in WebAssembly and cannot be interrupted, so it does not enforce statement_timeout.
describe.skipIf(!server.available)(`tenon db explain on a server ${server.reason}`, () => {
  it('stops at the statement timeout with a clear error', async () => {
    const error = await explainQuery({
      databaseUrl: SERVER_DATABASE_URL,
      sql: 'select pg_sleep(5)',
      analyze: true,
      config: { explainTimeout: '200ms' },
    }).catch((e: unknown) => e);
    expect(isTenonError(error, 'TENON_ANALYZE_EXPLAIN_TIMEOUT')).toBe(true);
  });
});
