/**
 * How long `tenon db analyze` (every check, index advisor included) takes on
 * a database with 500 tables, and how it scales from 50 tables in the same run.
 *
 *   flock /tmp/tenon-bench.lock npx tsx bench/analyze-500-tables.ts [postgres://admin-url]
 *
 * With a server URL (use one with pg_stat_statements preloaded and hypopg, e.g.
 * the cluster of scripts/test-postgres.sh) it creates and drops its own
 * databases there; without one it uses PGlite in memory. Each table has a
 * primary key, a foreign key to the previous table (every third one
 * unindexed), a secondary index, 2000 rows, and statements recorded by
 * pg_stat_statements (a lookup by the foreign key, and by an unindexed text
 * column), so the index advisor prices about 670 candidates on 500 tables.
 */
import { analyzeDatabase } from '../src/analyze/index.js';
import { connect, type Database } from '../src/core/db/index.js';
import { firstPositional } from './support/args.js';

const adminUrl = firstPositional();
const RUNS = 3;

async function withDatabase<T>(name: string, fn: (url: string) => Promise<T>): Promise<T> {
  if (!adminUrl) return fn('pglite://memory');
  const admin = await connect({ databaseUrl: adminUrl });
  await admin.exec(`drop database if exists ${name} with (force)`);
  await admin.exec(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.exec(`drop database if exists ${name} with (force)`);
    await admin.close();
  }
}

async function build(db: Database, tables: number): Promise<void> {
  await db.exec('create extension if not exists pg_stat_statements');
  for (let i = 0; i < tables; i++) {
    const fk = i === 0 ? '' : `, parent_id bigint references t${i - 1} (id)`;
    await db.exec(`
      create table t${i} (id bigint generated always as identity primary key, code text not null,
        amount numeric not null${fk});
      insert into t${i} (code, amount${i === 0 ? '' : ', parent_id'})
        select 'c' || g, g${i === 0 ? '' : ', 1 + g % 2000'} from generate_series(1, 2000) g;
      create index t${i}_amount_idx on t${i} (amount);
      ${i > 0 && i % 3 !== 0 ? `create index t${i}_parent_id_idx on t${i} (parent_id);` : ''}
    `);
  }
  await db.exec('analyze');
  for (let i = 1; i < tables; i++) {
    for (let k = 0; k < 10; k++) {
      await db.query(`select id, code from t${i} where parent_id = $1`, [k + 1]);
      await db.query(`select id from t${i} where code = $1`, [`c${k}`]);
    }
  }
}

async function measure(tables: number): Promise<{ medianMs: number; findings: string; slowest: string }> {
  return withDatabase(`tenon_bench_${tables}`, async (url) => {
    const db = await connect({ databaseUrl: url });
    try {
      await build(db, tables);
      const times: number[] = [];
      let findings = '';
      let slowest = '';
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        const result = await analyzeDatabase({
          db,
          // minQueryMean 0: the lookups take microseconds, which the advisor would skip;
          // the benchmark wants every statement priced, as before statements were chosen by time.
          config: { minStatsAge: 0, maxStatements: 2000, minQueryCost: 10, minQueryMean: 0 },
        });
        times.push(performance.now() - started);
        const byCheck = new Map<string, number>();
        for (const f of result.findings) byCheck.set(f.check, (byCheck.get(f.check) ?? 0) + 1);
        findings = `${result.findings.length} findings (${[...byCheck].map(([c, n]) => `${c} ${n}`).join(', ')})`;
        slowest = [...result.checks]
          .sort((a, b) => b.durationMs - a.durationMs)
          .slice(0, 3)
          .map((c) => `${c.id} ${c.durationMs} ms`)
          .join(', ');
      }
      times.sort((a, b) => a - b);
      return { medianMs: times[Math.floor(RUNS / 2)]!, findings, slowest };
    } finally {
      await db.close();
    }
  });
}

const target = adminUrl ? adminUrl.replace(/:[^:@/]*@/, ':****@') : 'PGlite (in memory)';
console.log(`tenon db analyze on ${target}, median of ${RUNS} runs (2 shared cores: expect noise)`);
const small = await measure(50);
console.log(
  `   50 tables: ${small.medianMs.toFixed(0)} ms, ${small.findings}; slowest checks: ${small.slowest}`,
);
const large = await measure(500);
console.log(
  `  500 tables: ${large.medianMs.toFixed(0)} ms, ${large.findings}; slowest checks: ${large.slowest}`,
);
console.log(
  `  ratio 500/50 tables: ${(large.medianMs / small.medianMs).toFixed(1)}× the time for 10× the tables`,
);
