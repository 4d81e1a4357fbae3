import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDatabase, suggestIndexes } from '../../../src/analyze/index.js';
import { connect } from '../../../src/core/db/index.js';
import { createTempDatabase, requirePostgres, type TempDatabase } from '../../support/services.js';

const server = await requirePostgres();

const QUERIES = [
  'select id, note from small_items where code = $1',
  'select id from big_items where code = $1',
  'select id from big_items where id = $1',
];

describe.skipIf(!server.available)(
  `without pg_stat_statements, and with hypopg turned off (PostgreSQL at 5432) ${server.reason}`,
  () => {
    let temp: TempDatabase;

    beforeAll(async () => {
      temp = await createTempDatabase();
      const db = await connect({ databaseUrl: temp.url });
      try {
        await db.exec(`
          create table small_items (id bigint primary key, code text not null, note text);
          insert into small_items select g, 'c' || g, 'n' || g from generate_series(1, 20000) g;
          create table big_items (id bigint primary key, code text not null, note text);
          insert into big_items select g, 'c' || g, repeat('n', 100) from generate_series(1, 50000) g;
        `);
        await db.exec('analyze');
      } finally {
        await db.close();
      }
    });

    afterAll(async () => {
      await temp?.drop();
    });

    it('says which checks cannot run and how to enable them', async () => {
      const result = await analyzeDatabase({ databaseUrl: temp.url });
      const reason = (id: string) => result.checks.find((c) => c.id === id)?.reason ?? '';
      expect(result.capabilities.pgStatStatements.available).toBe(false);
      expect(reason('slow-query')).toMatch(/CREATE EXTENSION pg_stat_statements.*shared_preload_libraries/);
      expect(reason('n-plus-one')).toMatch(/CREATE EXTENSION pg_stat_statements/);
      expect(reason('missing-index')).toMatch(/--queries FILE/);
      expect(result.checks.find((c) => c.id === 'missing-fk-index')?.status).toBe('ran');
    });

    it('explains that an installed but not preloaded pg_stat_statements needs a restart', async () => {
      const db = await connect({ databaseUrl: temp.url });
      try {
        await db.exec('create extension if not exists pg_stat_statements');
        const result = await analyzeDatabase({ db, config: { only: ['slow-query'] } });
        expect(result.checks[0]).toMatchObject({ id: 'slow-query', status: 'not-run' });
        expect(result.checks[0]!.reason).toMatch(/shared_preload_libraries.*restart/);
      } finally {
        await db.exec('drop extension if exists pg_stat_statements');
        await db.close();
      }
    });

    it('builds candidates for real on small tables and falls back to pg_stats rules on large ones', async () => {
      // big_items is over realIndexMaxTableSize; small_items is under it.
      const result = await suggestIndexes({
        databaseUrl: temp.url,
        queries: QUERIES,
        config: { realIndexMaxTableSize: '2MB', hypopg: false },
      });
      const byTable = new Map(result.recommendations.map((r) => [r.table, r]));
      expect([...byTable.keys()].sort()).toEqual(['public.big_items', 'public.small_items']);
      expect(byTable.get('public.small_items')).toMatchObject({
        method: 'real-index',
        confidence: 'high',
        columns: ['code'],
      });
      expect(byTable.get('public.big_items')).toMatchObject({
        method: 'pg-stats',
        confidence: 'low',
        columns: ['code'],
      });
      for (const r of result.recommendations) {
        expect(r.queries[0]!.costAfter).toBeLessThan(r.queries[0]!.costBefore / 2);
      }
      // The primary key already covers the third statement.
      expect(result.skipped.map((s) => s.query)).toContain('select id from big_items where id = $1');
      const db = await connect({ databaseUrl: temp.url });
      try {
        const { rows } = await db.query<{ n: string }>(
          "select count(*)::text as n from pg_indexes where tablename in ('small_items', 'big_items')",
        );
        expect(rows[0]!.n).toBe('2'); // only the primary keys: nothing was left behind
      } finally {
        await db.close();
      }
    });
  },
);
