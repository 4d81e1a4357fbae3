/**
 * Acceptance of `tenon db` on real databases (issue 13): recall on the
 * planted fixtures and false warnings on their clean twins, pgbench with
 * stale statistics (with and without foreign keys, with an N+1 loop), and
 * Pagila with a rental-app workload; for each, the statement time before
 * and after `--write-migrations` + `tenon migrate up`, the second round
 * (findings caused by tenon's own fixes: must be 0), and what the
 * statistics window (`tenon db snapshot` → `analyze --since`) changes.
 *
 *   flock /tmp/tenon-heavy.lock npx tsx bench/analyze-acceptance.ts [postgres://admin-url] [--only=planted,pgbench,pagila]
 *
 * The URL must reach a server with pg_stat_statements preloaded and hypopg
 * (scripts/test-postgres.sh starts one); without it the script starts one.
 * It creates and drops its own databases (prefix `analyze_acceptance_`).
 * Needs pgbench and psql on PATH and the corpus in ../shared/corpus (or TENON_CORPUS_DIR).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  type AnalyzeResult,
  analyzeDatabase,
  type Finding,
  type StatsSnapshot,
  takeStatsSnapshot,
} from '../src/analyze/index.js';
import { connect, type Database } from '../src/core/db/index.js';
import { Migrator } from '../src/migrate/index.js';
import { type RoundTrip, roundTrip, run, timeLines } from '../test/analyze/fixtures/fix-round-trip.js';
import { pagilaWorkload } from '../test/analyze/fixtures/pagila-workload.js';
import { formatScore, scoreRecall } from '../test/analyze/fixtures/recall.js';
import {
  buildCleanShop,
  buildPlantedShop,
  FIXTURE_CONFIG,
  PLANTED,
  resetStatements,
  runPlantedWorkload,
} from '../test/analyze/fixtures/shop-fixture.js';
import { corpusDir } from '../test/support/corpus-dir.js';
import { firstPositional, listFlag } from './support/args.js';

/** pagila from the corpus: `TENON_CORPUS_DIR`, else ../shared/corpus. */
const PAGILA = join(corpusDir(), 'db', 'pagila');
const PGBENCH_SCALE = 5;

let adminUrl = firstPositional();
/** `--only planted,pgbench,pagila`: run these parts only. */
const only = listFlag('only');
const part = (name: string) => !only || only.includes(name);
let cluster: ChildProcess | undefined;
const lines: string[] = [];
const out = (...text: string[]) => {
  for (const t of text) {
    lines.push(t);
    console.log(t);
  }
};
const tally = {
  problemsFound: 0,
  problemsPlanted: 0,
  falseWarnings: 0,
  causedBySelf: 0,
  migrationFailures: 0,
};

async function startCluster(): Promise<string> {
  cluster = spawn('scripts/test-postgres.sh', [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: cluster.stdout! }), 'line')) as [string];
  return line;
}

async function withDatabase<T>(name: string, fn: (url: string) => Promise<T>): Promise<T> {
  const admin = await connect({ databaseUrl: adminUrl });
  const db = `analyze_acceptance_${name}`;
  await admin.exec(`drop database if exists ${db} with (force)`);
  await admin.exec(`create database ${db}`);
  const url = new URL(adminUrl!);
  url.pathname = `/${db}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.exec(`drop database if exists ${db} with (force)`);
    await admin.close();
  }
}

const warnings = (r: AnalyzeResult) => r.findings.filter((f) => f.severity !== 'info');
const total = (m: RoundTrip['before']) => [...m.values()].reduce((sum, s) => sum + s.totalMs, 0);

/** Round trip with a snapshot taken after `migrate up`, and the second analysis repeated over that window. */
async function tripWithWindow(
  db: Database,
  url: string,
  config: Record<string, unknown>,
  workload: (db: Database) => Promise<void>,
): Promise<{ trip: RoundTrip; windowed: AnalyzeResult }> {
  let snapshot: StatsSnapshot | undefined;
  const trip = await roundTrip(db, url, config, async (s) => {
    snapshot = await takeStatsSnapshot({ db: s });
    await workload(s);
  });
  const windowed = await analyzeDatabase({ db, config, since: snapshot! });
  return { trip, windowed };
}

function reportTrip(label: string, trip: RoundTrip, windowed: AnalyzeResult, timeLimit = 6): void {
  tally.causedBySelf += trip.caused.length;
  const counterChecks = ['seq-scan-heavy', 'cache-hit-ratio', 'unused-index', 'slow-query'];
  const cumulative = (r: AnalyzeResult) =>
    r.findings.filter((f) => counterChecks.includes(f.check)).map((f) => `${f.check} ${f.object.name}`);
  out(
    `${label}: first run ${warnings(trip.first).length} warnings/critical, ${trip.migrations.length} migrations written and applied`,
    ...warnings(trip.first).map((f) => `  ${f.check}: ${f.title.slice(0, 140)}`),
    `  workload total time ${total(trip.before).toFixed(1)} ms → ${total(trip.after).toFixed(1)} ms (${(total(trip.before) / Math.max(total(trip.after), 1e-6)).toFixed(1)}×); per statement (mean):`,
    ...timeLines(trip, timeLimit),
    `  second round: ${trip.second.findings.length} findings, ${trip.caused.length} caused by tenon's fixes`,
    `  counter checks after the fix, cumulative: [${cumulative(trip.second).join(', ')}]; since the snapshot after migrate up: [${cumulative(windowed).join(', ')}]`,
  );
}

async function plantedFixtures(): Promise<void> {
  out('== planted fixtures (PostgreSQL 15 with pg_stat_statements and hypopg) ==');
  await withDatabase('planted', async (url) => {
    const db = await connect({ databaseUrl: url });
    try {
      await buildPlantedShop(db);
      const first = await analyzeDatabase({ db, config: FIXTURE_CONFIG });
      // Session problems need sessions held open while analyzing: analyzer-server.int.test.ts plants those.
      const planted = PLANTED.filter((p) => !p.serverOnly);
      const score = scoreRecall(first.findings, planted);
      tally.problemsFound += score.found.length;
      tally.problemsPlanted += planted.length;
      out(formatScore('planted shop', score));
      const { trip, windowed } = await tripWithWindow(db, url, FIXTURE_CONFIG, runPlantedWorkload);
      reportTrip('planted shop round trip', trip, windowed, 4);
    } finally {
      await db.close();
    }
  });
  await withDatabase('clean', async (url) => {
    const db = await connect({ databaseUrl: url });
    try {
      await buildCleanShop(db);
      const result = await analyzeDatabase({ db, config: FIXTURE_CONFIG });
      tally.falseWarnings += warnings(result).length;
      out(formatScore('clean shop', scoreRecall(result.findings, []), warnings(result)));
    } finally {
      await db.close();
    }
  });
}

/** An application loop over pgbench: a page of accounts, then each account's branch one by one. */
async function pgbenchNPlusOne(db: Database): Promise<void> {
  for (let page = 0; page < 6; page++) {
    const accounts = await db.query<{ bid: number }>(
      'select aid, bid, abalance from pgbench_accounts where aid between $1 and $2',
      [1 + page * 1000, 50 + page * 1000],
    );
    for (const a of accounts.rows)
      await db.query('select bbalance from pgbench_branches where bid = $1', [a.bid]);
  }
}

async function pgbenchRuns(): Promise<void> {
  for (const variant of [
    { name: 'without foreign keys', steps: undefined },
    { name: 'with foreign keys (-I dtgvpf)', steps: 'dtgvpf' },
  ]) {
    out(`== pgbench -s ${PGBENCH_SCALE}, ${variant.name}, statistics stale (autovacuum off after -i) ==`);
    await withDatabase(`pgbench_${variant.steps ? 'fk' : 'nofk'}`, async (url) => {
      await run('pgbench', [
        '-i',
        '-q',
        '-s',
        String(PGBENCH_SCALE),
        ...(variant.steps ? ['-I', variant.steps] : []),
        url,
      ]);
      const db = await connect({ databaseUrl: url });
      try {
        await db.exec(`alter table pgbench_accounts set (autovacuum_enabled = false);
          create extension if not exists pg_stat_statements;`);
        await resetStatements(db);
        const workload = async (s: Database) => {
          await run('pgbench', ['-n', '-c', '2', '-t', '1000', url]);
          for (let i = 0; i < 20; i++)
            await s.query('select aid, abalance from pgbench_accounts where abalance = $1', [3000 + i]);
          for (let i = 0; i < 20; i++)
            await s.exec(`select abalance from pgbench_accounts where aid = ${i} + 1000`);
          await pgbenchNPlusOne(s);
        };
        await db.withSession(workload);
        const config = { minStatsAge: 0 };
        const { trip, windowed } = await tripWithWindow(db, url, config, workload);
        const expected = [
          ['stale-statistics', 'public.pgbench_accounts'],
          ['missing-index', 'public.pgbench_accounts'],
          ['n-plus-one', 'public.pgbench_branches'],
          ...(variant.steps ? [['missing-fk-index', 'public.pgbench_history']] : []),
        ];
        const found = expected.filter(([check, table]) =>
          trip.first.findings.some(
            (f) => f.check === check && [f.object.name, f.object.table].includes(table),
          ),
        );
        tally.problemsFound += found.length;
        tally.problemsPlanted += expected.length;
        out(
          `expected problems found: ${found.length}/${expected.length}${expected
            .filter((e) => !found.includes(e))
            .map((e) => ` (missed ${e.join(' ')})`)
            .join('')}`,
        );
        reportTrip(`pgbench ${variant.name}`, trip, windowed, 4);
      } finally {
        await db.close();
      }
    });
  }
}

async function pagilaRun(): Promise<void> {
  out('== Pagila with a rental-app workload ==');
  await withDatabase('pagila', async (url) => {
    for (const file of ['pagila-schema.sql', 'pagila-data.sql'])
      await run('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', join(PAGILA, file)]);
    const db = await connect({ databaseUrl: url });
    try {
      await db.exec('create extension if not exists pg_stat_statements');
      await db.exec('vacuum analyze');
      await resetStatements(db);
      await db.withSession((s) => pagilaWorkload(s));
      const config = { minStatsAge: 0 };
      const { trip, windowed } = await tripWithWindow(db, url, config, (s) => pagilaWorkload(s));
      const has = (check: string, text: string) =>
        trip.first.findings.some(
          (f: Finding) => f.check === check && `${f.object.name} ${f.title}`.includes(text),
        );
      const expected: [string, string][] = [
        ['partition-consistency', 'public.payment_p2022_07'],
        ['missing-index', 'public.rental'],
        ['missing-index', 'public.film'],
        ['missing-index', 'public.inventory'],
        ['missing-index', 'public.payment'],
      ];
      const found = expected.filter(([c, t]) => has(c, t));
      tally.problemsFound += found.length;
      tally.problemsPlanted += expected.length;
      out(
        `expected problems found: ${found.length}/${expected.length}${expected
          .filter((e) => !found.includes(e))
          .map((e) => ` (missed ${e.join(' ')})`)
          .join('')}`,
      );
      reportTrip('Pagila', trip, windowed, 8);
      // The same files on PGlite, on Pagila's schema.
      const lite = await connect({ databaseUrl: 'pglite://memory' });
      try {
        await lite.exec(readFileSync(join(PAGILA, 'pagila-schema.sql'), 'utf8'));
        await lite.exec('reset search_path');
        const up = await new Migrator({ db: lite, dir: join(trip.project, 'migrations') }).up();
        const applied = up.migrations.filter((m) => m.status === 'applied').length;
        tally.migrationFailures += trip.migrations.length - applied;
        out(`  the ${trip.migrations.length} Pagila migrations on PGlite: ${applied} applied`);
      } finally {
        await lite.close();
      }
    } finally {
      await db.close();
    }
  });
}

async function main(): Promise<void> {
  adminUrl ??= await startCluster();
  const started = Date.now();
  try {
    if (part('planted')) await plantedFixtures();
    if (part('pgbench')) await pgbenchRuns();
    if (part('pagila')) await pagilaRun();
  } finally {
    cluster?.kill('SIGTERM');
  }
  out(
    '== summary ==',
    `problems found: ${tally.problemsFound}/${tally.problemsPlanted} (planted fixtures without the 4 session problems, which analyzer-server.int.test.ts plants; pgbench; Pagila)`,
    `false warnings on the clean twin: ${tally.falseWarnings}`,
    `findings caused by tenon's own fixes in the second rounds: ${tally.causedBySelf}`,
    `written migrations that failed on PGlite (Pagila): ${tally.migrationFailures}`,
    `took ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

await main();
// Something the fixtures open (a pool or a PGlite handle not closed) keeps the event loop alive after
// the summary; the bench is done, so it ends here rather than hang until a timeout kills it.
process.exit(0);
