import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzeResult, analyzeDatabase, suggestIndexes } from '../../src/analyze/index.js';
import { connect, type Database } from '../../src/core/db/index.js';
import { runTenon } from '../support/cli.js';
import { createTempDatabase, requireExtPostgres, type TempDatabase } from '../support/services.js';
import { formatScore, scoreRecall } from './fixtures/recall.js';
import { describeFindings, footprintOf, selfInflicted } from './fixtures/second-round.js';
import { PLANTED_CONNECTION_LIMIT, plantSessions } from './fixtures/sessions.js';
import {
  buildCleanShop,
  buildPlantedShop,
  FIXTURE_CONFIG,
  PLANTED,
  resetStatements,
  runPlantedWorkload,
} from './fixtures/shop-fixture.js';

const ext = await requireExtPostgres();

/** The planted statements an index fixes, with values, for EXPLAIN ANALYZE before and after. */
const PLANTED_QUERIES: { sql: string; params: unknown[]; index: string }[] = [
  {
    sql: 'select id, total, status from orders where customer_id = $1',
    params: [14],
    index: 'orders_customer_id_idx',
  },
  {
    sql: 'select id, kind, created_at from events where kind = $1 and created_at > $2 order by created_at desc limit 20',
    params: ['kind7', new Date(Date.now() - 3 * 86_400_000).toISOString()],
    index: 'events_kind_created_at_desc_idx',
  },
  {
    sql: 'select quantity from order_items where product_id = $1',
    params: [5],
    index: 'order_items_product_id_idx',
  },
];

async function executionMs(
  db: Database,
  sql: string,
  params: unknown[],
): Promise<{ ms: number; indexes: string[] }> {
  const times: number[] = [];
  let indexes: string[] = [];
  for (let i = 0; i < 5; i++) {
    const { rows } = await db.query<{ 'QUERY PLAN': [{ 'Execution Time': number; Plan: unknown }] }>(
      `explain (analyze, format json) ${sql}`,
      params,
    );
    const out = rows[0]!['QUERY PLAN'][0];
    times.push(out['Execution Time']);
    indexes = [...JSON.stringify(out.Plan).matchAll(/"Index Name":"([^"]+)"/g)].map((m) => m[1]!);
  }
  times.sort((a, b) => a - b);
  return { ms: times[2]!, indexes };
}

describe.skipIf(!ext.available)(
  `tenon db on PostgreSQL with pg_stat_statements and hypopg (${ext.reason})`,
  () => {
    let planted: TempDatabase;
    let clean: TempDatabase;
    let plantedResult: AnalyzeResult;
    const project = mkdtempSync(join(tmpdir(), 'tenon-analyze-'));

    beforeAll(async () => {
      planted = await createTempDatabase(ext.url, 'tenon_an');
      const db = await connect({ databaseUrl: planted.url });
      try {
        await buildPlantedShop(db);
        await db.exec(`alter database ${planted.name} connection limit ${PLANTED_CONNECTION_LIMIT}`);
      } finally {
        await db.close();
      }
      writeFileSync(join(project, 'tenon.config.json'), JSON.stringify({ analyze: FIXTURE_CONFIG }));
    }, 120_000);

    afterAll(async () => {
      await planted?.drop();
      await clean?.drop();
    });

    it('finds every planted problem, sessions included (recall)', async () => {
      const sessions = await plantSessions(planted.url);
      try {
        plantedResult = await analyzeDatabase({ databaseUrl: planted.url, config: FIXTURE_CONFIG });
      } finally {
        await sessions.release();
      }
      const score = scoreRecall(plantedResult.findings, PLANTED);
      console.log(formatScore(`PostgreSQL ${plantedResult.server.version}`, score));
      expect(plantedResult.checks.filter((c) => c.status !== 'ran')).toEqual([]);
      expect(score.missed).toEqual([]);
      expect(plantedResult.indexAdvice?.methods).toEqual(['hypopg']);
    });

    it('every recommended index lists the statements it helps, with cost before and after', () => {
      const advice = plantedResult.indexAdvice!;
      const tables = advice.recommendations.map((r) => `${r.table}(${r.columns.join(',')})`).sort();
      expect(tables).toEqual([
        'public.accounts(balance)',
        'public.events(kind,created_at)',
        'public.order_items(product_id)',
        'public.orders(customer_id)',
      ]);
      for (const r of advice.recommendations) {
        expect(r.queries.length).toBeGreaterThan(0);
        for (const q of r.queries) expect(q.costAfter).toBeLessThanOrEqual(q.costBefore * 0.5);
      }
      // hypopg was created inside the rolled-back transaction only.
      expect(plantedResult.capabilities.hypopg.installed).toBe(false);
    });

    it('reports nothing on a clean, well-indexed database (precision)', async () => {
      clean = await createTempDatabase(ext.url, 'tenon_an');
      const db = await connect({ databaseUrl: clean.url });
      try {
        await buildCleanShop(db);
      } finally {
        await db.close();
      }
      const result = await analyzeDatabase({ databaseUrl: clean.url, config: FIXTURE_CONFIG });
      const warnings = result.findings.filter((f) => f.severity !== 'info');
      console.log(formatScore(`PostgreSQL ${result.server.version} clean`, scoreRecall([], []), warnings));
      expect(result.checks.filter((c) => c.status !== 'ran')).toEqual([]);
      expect(warnings).toEqual([]);
    });

    it('suggest-indexes finds the same indexes through the CLI', async () => {
      const run = await runTenon(['db', 'suggest-indexes', '--json', '--database-url', planted.url], {
        cwd: project,
      });
      expect(run.code, run.stderr).toBe(0);
      const out = JSON.parse(run.stdout) as { recommendations: { indexName: string }[] };
      expect(out.recommendations.map((r) => r.indexName).sort()).toEqual(
        [
          'accounts_balance_idx',
          'events_kind_created_at_desc_idx',
          'order_items_product_id_idx',
          'orders_customer_id_idx',
        ].sort(),
      );
    });

    it('writes migrations that, once applied, make the planted statements use the new indexes and run faster, and cause no finding of their own', async () => {
      const html = join(project, 'report.html');
      const run = await runTenon(
        ['db', 'analyze', '--json', '--write-migrations', '--html', html, '--database-url', planted.url],
        { cwd: project },
      );
      expect(run.code, run.stderr).toBe(0);
      const out = JSON.parse(run.stdout) as AnalyzeResult & { migrationsWritten: { name: string }[] };
      expect(out.findings.length).toBeGreaterThan(10);
      const files = readdirSync(join(project, 'migrations')).sort();
      expect(files).toEqual(out.migrationsWritten.map((m) => m.name).sort());
      expect(new Set(files.map((f) => f.slice(0, 14))).size).toBe(files.length);
      const text = files.map((f) => readFileSync(join(project, 'migrations', f), 'utf8')).join('\n');
      expect(text).toContain(
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON public.orders (customer_id);',
      );
      expect(text).toContain('DROP INDEX CONCURRENTLY IF EXISTS public.products_name_idx;');
      expect(text).toContain(
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS products_name_idx ON public.products USING btree (name);',
      );
      expect(readFileSync(html, 'utf8')).toContain('missing-fk-index');

      const db = await connect({ databaseUrl: planted.url });
      try {
        const before = [];
        for (const q of PLANTED_QUERIES) before.push(await executionMs(db, q.sql, q.params));
        // Applied the way a user would: `tenon migrate up` on the project's migrations folder.
        const up = await runTenon(['migrate', 'up', '--json', '--database-url', planted.url], {
          cwd: project,
        });
        expect(up.code, up.stderr).toBe(0);
        const applied = (JSON.parse(up.stdout) as { migrations: { version: string; state?: string }[] })
          .migrations;
        expect(applied.length).toBe(files.length);
        await db.exec('analyze');
        const lines = [];
        for (const [i, q] of PLANTED_QUERIES.entries()) {
          const after = await executionMs(db, q.sql, q.params);
          expect(before[i]!.indexes).not.toContain(q.index);
          expect(after.indexes).toContain(q.index);
          expect(after.ms).toBeLessThan(before[i]!.ms);
          lines.push(
            `  ${q.index}: ${before[i]!.ms.toFixed(2)} ms → ${after.ms.toFixed(2)} ms (${(before[i]!.ms / after.ms).toFixed(1)}× faster)`,
          );
        }
        console.log(
          `speed-up after applying ${applied.length} migrations (median of 5 EXPLAIN ANALYZE runs):\n${lines.join('\n')}`,
        );
        const rerun = await suggestIndexes({ db, config: FIXTURE_CONFIG });
        expect(rerun.recommendations).toEqual([]);
        // Second round: the statements' counters start again (as a DBA resets them after a fix),
        // the application keeps running, then analyze again.
        await db.withSession(async (s) => {
          await resetStatements(s);
          await runPlantedWorkload(s);
        });
        const second = await analyzeDatabase({ db, config: FIXTURE_CONFIG });
        const caused = selfInflicted(out.findings, second.findings, footprintOf([text]));
        console.log(
          `second round: ${second.findings.length} findings (${out.findings.length} before), ${caused.length} caused by tenon's own fixes`,
        );
        expect(caused, describeFindings(caused)).toEqual([]);
      } finally {
        await db.close();
      }
    });
  },
);
