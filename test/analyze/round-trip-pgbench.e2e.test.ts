import { afterAll, describe, expect, it } from 'vitest';
import { suggestIndexes } from '../../src/analyze/index.js';
import { connect, type Database } from '../../src/core/db/index.js';
import {
  createTempDatabase,
  requireCommand,
  requireExtPostgres,
  type TempDatabase,
} from '../support/services.js';
import { roundTrip, run, timeLines } from './fixtures/fix-round-trip.js';
import { describeFindings } from './fixtures/second-round.js';
import { resetStatements } from './fixtures/shop-fixture.js';

const ext = await requireExtPostgres();
const pgbench = requireCommand('pgbench');
const ready = ext.available && pgbench.available;

/** 500,000 accounts: large enough that a sequential scan costs real time, small enough for CI. */
const SCALE = 5;

/**
 * A pgbench database right after `pgbench -i`, with autovacuum not yet
 * come by: every abalance was 0 when it was analyzed, so the planner
 * expects `where abalance = $1` to return every row.
 */
async function initPgbench(url: string, steps: string | undefined): Promise<void> {
  await run(pgbench.path, ['-i', '-q', '-s', String(SCALE), ...(steps ? ['-I', steps] : []), url]);
  const db = await connect({ databaseUrl: url });
  try {
    await db.exec(`alter table pgbench_accounts set (autovacuum_enabled = false);
      create extension if not exists pg_stat_statements;`);
    await resetStatements(db);
  } finally {
    await db.close();
  }
}

/** The built-in TPC-B-like script, then the report a DBA found slow, and a statement PostgreSQL cannot plan untyped. */
function workload(url: string) {
  return async (db: Database) => {
    await run(pgbench.path, ['-n', '-c', '2', '-t', '1000', url]);
    for (let i = 0; i < 20; i++) {
      await db.query('select aid, abalance from pgbench_accounts where abalance = $1', [3000 + i]);
    }
    // Constants: pg_stat_statements records `aid = $1 + $2`, which fails to PREPARE untyped.
    for (let i = 0; i < 20; i++)
      await db.exec(`select abalance from pgbench_accounts where aid = ${i} + 1000`);
  };
}

describe.skipIf(!ready)(`tenon db on pgbench (${ext.reason}${pgbench.reason})`, () => {
  const temps: TempDatabase[] = [];

  afterAll(async () => {
    for (const t of temps) await t.drop();
  });

  for (const variant of [
    { name: 'without foreign keys', steps: undefined },
    { name: 'with foreign keys (-I dtgvpf)', steps: 'dtgvpf' },
  ]) {
    it(`finds the stale statistics, indexes abalance, and converges (${variant.name})`, async () => {
      const temp = await createTempDatabase(ext.url, 'tenon_pgb');
      temps.push(temp);
      await initPgbench(temp.url, variant.steps);
      const db = await connect({ databaseUrl: temp.url });
      try {
        await db.withSession(workload(temp.url));
        const trip = await roundTrip(db, temp.url, { minStatsAge: 0 }, workload(temp.url));
        const checks = (r: typeof trip.first) =>
          r.findings.filter((f) => f.severity !== 'info').map((f) => `${f.check} ${f.object.name}`);
        console.log(
          [
            `pgbench -s ${SCALE} ${variant.name}: first run ${trip.first.findings.length} findings, ${trip.migrations.length} migrations`,
            ...checks(trip.first).map((c) => `  ${c}`),
            ...trip.migrations
              .map((m) => m.split('-- migrate:up\n')[1]!.split('\n')[0]!)
              .map((m) => `  up: ${m}`),
            'statement time before → after (pg_stat_statements mean):',
            ...timeLines(trip, 4),
            `second run: ${trip.second.findings.length} findings, ${trip.caused.length} caused by tenon's fixes`,
            ...checks(trip.second).map((c) => `  ${c}`),
          ].join('\n'),
        );
        const stale = trip.first.findings.find((f) => f.check === 'stale-statistics');
        expect(stale?.object.name).toBe('public.pgbench_accounts');
        expect(stale?.fix?.up).toBe('ANALYZE public.pgbench_accounts;');
        const index = trip.first.indexAdvice?.recommendations.find(
          (r) => r.table === 'public.pgbench_accounts',
        );
        expect(index?.columns).toEqual(['abalance']);
        expect(trip.migrations.join('\n')).toContain(
          'CREATE INDEX CONCURRENTLY IF NOT EXISTS pgbench_accounts_abalance_idx ON public.pgbench_accounts (abalance);',
        );
        if (variant.steps) {
          const fk = trip.first.findings
            .filter((f) => f.check === 'missing-fk-index')
            .map((f) => f.object.table);
          expect(fk).toContain('public.pgbench_history');
        }
        // The untyped `$1 + $2` was planned with typed parameters, not given up on.
        const typed = await suggestIndexes({
          db,
          queries: ['select abalance from pgbench_accounts where aid = $1 + $2'],
        });
        const given = typed.skipped.find((s) => s.queryId === 'file:1');
        expect(given?.reason).toMatch(/^its estimated cost \d+ is below minQueryCost/);
        const lookup = 'select aid, abalance from pgbench_accounts where abalance = $1';
        expect(trip.after.get(lookup)!.meanMs).toBeLessThan(trip.before.get(lookup)!.meanMs / 10);
        expect(trip.second.findings.filter((f) => f.check === 'stale-statistics')).toEqual([]);
        expect(trip.second.indexAdvice?.recommendations).toEqual([]);
        expect(trip.caused, describeFindings(trip.caused)).toEqual([]);
      } finally {
        await db.close();
      }
    }, 240_000);
  }
});
