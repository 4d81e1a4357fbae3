import type { Database } from '../../core/db/index.js';
import type { AnalyzeConfig } from '../analyze-config.js';
import type { Capabilities } from '../capabilities.js';
import type { Catalog } from '../catalog/catalog.js';
import type { QueryStat } from '../catalog/query-stats.js';
import type { TableInfo } from '../catalog/tables.js';
import { explainGenericPlan } from '../generic-plan.js';
import { indexesUsed, type PlanNode } from '../plan.js';
import { type QueryShape, queryShape } from '../query-shape.js';
import { inRolledBackTransaction } from '../rolled-back.js';
import { shortSql, TAG } from '../sql-text.js';
import type { CostingMethod, HelpedQuery, IndexAdvice, IndexRecommendation, SkippedQuery } from './advice.js';
import {
  type CandidateIndex,
  candidatesFor,
  coveredByExisting,
  indexDdl,
  indexNameFor,
} from './candidates.js';
import { makeResolver } from './name-resolver.js';
import { estimateWithPgStats } from './pg-stats-rules.js';
import { hypopgWhatIf, realIndexWhatIf, type WhatIf } from './what-if.js';

/** What the advisor needs: the database, what it can do, catalog data and thresholds. */
export interface AdvisorContext {
  db: Database;
  capabilities: Capabilities;
  catalog: Catalog;
  config: AnalyzeConfig;
}

interface Work {
  stat: QueryStat;
  shape: QueryShape;
  plan: PlanNode;
  cost: number;
  candidates: CandidateIndex[];
}

interface Trial {
  cost: number;
  used: boolean;
}

/**
 * Recommends indexes for the statements in pg_stat_statements (or given
 * ones), the way Dexter does and a little further: candidates come from
 * each statement's parse tree, the planner prices each candidate alone
 * (hypopg, or a real index in a rolled-back transaction on PGlite and small
 * tables, or pg_stats rules marked low confidence), a candidate must cut a
 * statement's cost by `minCostSaving` (more on write-heavy tables), a
 * two-column index must halve the best single column's cost, and a final
 * pass with all chosen indexes together keeps only those the planner uses.
 * Nothing is left behind: everything runs in a transaction that is rolled back.
 */
export async function adviseIndexes(ctx: AdvisorContext): Promise<IndexAdvice> {
  const { config } = ctx;
  const [stats, tables, indexes, columns] = await Promise.all([
    ctx.catalog.queryStats(),
    ctx.catalog.tables(),
    ctx.catalog.indexes(),
    ctx.catalog.columns(),
  ]);
  const tableMap = new Map(tables.map((t) => [t.qualified, t]));
  const columnMap = new Map(columns.map((c) => [`${c.schema}.${c.table}.${c.name}`, c]));
  const resolver = makeResolver(tables, columns);
  const skipped: SkippedQuery[] = [];
  const notes: string[] = [];
  const shaped: { stat: QueryStat; shape: QueryShape }[] = [];
  const traffic = new Map<string, { reads: number; writes: number }>();
  for (const stat of stats.statements) {
    const shape = await queryShape(stat.query, resolver);
    if (shape) countTraffic(traffic, shape, stat.calls);
    if (!stat.queryId.startsWith('file:') && stat.calls < config.minCalls) continue;
    if (!shape) {
      skipped.push(skip(stat, 'the PostgreSQL parser cannot parse it'));
      continue;
    }
    if (!['select', 'update', 'delete'].includes(shape.kind) || shape.tables.length === 0) continue;
    if (shape.uses.length === 0) {
      skipped.push(skip(stat, 'it has no filter, join or sort column an index could serve'));
      continue;
    }
    shaped.push({ stat, shape });
  }

  return inRolledBackTransaction(ctx.db, async (tx) => {
    await tx.query(`SET LOCAL statement_timeout = ${Math.round(config.explainTimeout)}`);
    const hypo = config.hypopg ? await prepareHypopg(tx, ctx.capabilities, notes) : undefined;
    if (!config.hypopg) notes.push('hypopg not used (analyze.hypopg = false)');
    const real = realIndexWhatIf(tx);
    const work: Work[] = [];
    for (const { stat, shape } of shaped) {
      let plan: PlanNode;
      try {
        plan = (await explainGenericPlan(tx, stat.query)).Plan;
      } catch (error) {
        skipped.push(skip(stat, `EXPLAIN failed: ${(error as Error).message}`));
        continue;
      }
      const cost = plan['Total Cost'];
      if (cost < config.minQueryCost) {
        skipped.push(
          skip(stat, `its estimated cost ${cost.toFixed(0)} is below minQueryCost ${config.minQueryCost}`),
        );
        continue;
      }
      const candidates = candidatesFor(shape, columnMap).filter((c) => !coveredByExisting(c, indexes));
      if (candidates.length === 0) {
        skipped.push(skip(stat, 'existing indexes already cover every column it filters or sorts on'));
        continue;
      }
      work.push({ stat, shape, plan, cost, candidates });
    }

    const methodFor = (table: TableInfo | undefined): WhatIf | undefined => {
      if (hypo) return hypo;
      if (ctx.db.kind === 'pglite') return real;
      return table && table.tableBytes <= config.realIndexMaxTableSize ? real : undefined;
    };
    const writeHeavy = (table: string) => writesPerRead(traffic, table) > config.writeHeavyRatio;
    const saving = (table: TableInfo | undefined) =>
      table && writeHeavy(table.qualified) ? config.writeHeavyMinCostSaving : config.minCostSaving;

    // Price every candidate alone against the statements that could use it.
    const trials = new Map<string, Map<Work, Trial>>();
    const allCandidates = new Map<string, CandidateIndex>();
    for (const w of work) for (const c of w.candidates) allCandidates.set(c.key, c);
    for (const candidate of allCandidates.values()) {
      const users = work.filter((w) => w.candidates.some((c) => c.key === candidate.key));
      const table = tableMap.get(candidate.table);
      const whatIf = methodFor(table);
      const results = new Map<Work, Trial>();
      if (whatIf) {
        await whatIf.withIndexes([candidate], async (db, [name]) => {
          for (const w of users) {
            const plan = await explainQuiet(db, w.stat.query);
            if (plan) results.set(w, { cost: plan['Total Cost'], used: indexesUsed(plan).includes(name!) });
          }
        });
      } else if (table) {
        for (const w of users) {
          const after = await estimateWithPgStats(tx, candidate, table, w.plan, w.cost);
          if (after !== undefined) results.set(w, { cost: after, used: true });
        }
      }
      trials.set(candidate.key, results);
    }

    // For each statement and table, the candidate worth building.
    const chosen = new Map<string, { candidate: CandidateIndex; works: Set<Work> }>();
    for (const w of work) {
      const tablesOf = [...new Set(w.candidates.map((c) => c.table))];
      for (const tableName of tablesOf) {
        const bar = w.cost * (1 - saving(tableMap.get(tableName)));
        const good = w.candidates
          .filter((c) => c.table === tableName)
          .map((c) => ({ c, t: trials.get(c.key)?.get(w) }))
          .filter((x): x is { c: CandidateIndex; t: Trial } => !!x.t && x.t.used && x.t.cost <= bar);
        const best = (n: number) =>
          good.filter((x) => x.c.columns.length === n).sort((a, b) => a.t.cost - b.t.cost)[0];
        const single = best(1);
        const pair = best(2);
        const pick = pair && (!single || pair.t.cost < single.t.cost * 0.5) ? pair : single;
        if (!pick) continue;
        const entry = chosen.get(pick.c.key) ?? { candidate: pick.c, works: new Set<Work>() };
        entry.works.add(w);
        chosen.set(pick.c.key, entry);
      }
    }
    // A chosen (a, b) serves what (a) alone would.
    for (const entry of [...chosen.values()]) {
      if (entry.candidate.columns.length !== 1) continue;
      const wider = [...chosen.values()].find(
        (o) =>
          o.candidate.table === entry.candidate.table &&
          o.candidate.columns[0] === entry.candidate.columns[0] &&
          o.candidate.columns.length > 1,
      );
      if (wider) {
        for (const w of entry.works) wider.works.add(w);
        chosen.delete(entry.candidate.key);
      }
    }

    const recommendations: IndexRecommendation[] = [];
    const methods = new Set<CostingMethod>();
    const byMethod = new Map<WhatIf | undefined, { candidate: CandidateIndex; works: Set<Work> }[]>();
    for (const entry of chosen.values()) {
      const m = methodFor(tableMap.get(entry.candidate.table));
      byMethod.set(m, [...(byMethod.get(m) ?? []), entry]);
    }
    for (const [whatIf, entries] of byMethod) {
      if (!whatIf) {
        for (const e of entries) {
          const helped = [...e.works].map((w) =>
            helpedQuery(w, trials.get(e.candidate.key)?.get(w)?.cost ?? w.cost),
          );
          recommendations.push(recommend(e.candidate, helped, 'pg-stats', traffic, config));
        }
        methods.add('pg-stats');
        continue;
      }
      // Final pass: all chosen indexes at once; keep those the planner still uses.
      const works = [...new Set(entries.flatMap((e) => [...e.works]))];
      await whatIf.withIndexes(
        entries.map((e) => e.candidate),
        async (db, names) => {
          const finals = new Map<Work, PlanNode>();
          for (const w of works) {
            const plan = await explainQuiet(db, w.stat.query);
            if (plan) finals.set(w, plan);
          }
          entries.forEach((e, i) => {
            const helped: HelpedQuery[] = [];
            for (const w of e.works) {
              const plan = finals.get(w);
              const bar = w.cost * (1 - saving(tableMap.get(e.candidate.table)));
              if (plan && indexesUsed(plan).includes(names[i]!) && plan['Total Cost'] <= bar) {
                helped.push(helpedQuery(w, plan['Total Cost']));
              }
            }
            if (helped.length > 0) {
              recommendations.push(recommend(e.candidate, helped, whatIf.method, traffic, config));
              methods.add(whatIf.method);
            }
          });
        },
      );
    }
    recommendations.sort((a, b) => benefit(b) - benefit(a));
    return { recommendations, methods: [...methods], notes, analyzed: work.length, skipped };
  });
}

async function prepareHypopg(tx: Database, caps: Capabilities, notes: string[]): Promise<WhatIf | undefined> {
  if (!caps.hypopg.available) {
    if (caps.hypopg.reason) notes.push(caps.hypopg.reason);
    return undefined;
  }
  if (caps.hypopg.installed) return hypopgWhatIf(tx);
  try {
    // Created inside the rolled-back transaction: it exists only while the advisor runs.
    await tx.transaction((sp) => sp.query(`CREATE ${TAG} EXTENSION IF NOT EXISTS hypopg`));
    return hypopgWhatIf(tx);
  } catch (error) {
    notes.push(
      `hypopg could not be created (${(error as Error).message}); falling back to real indexes and pg_stats`,
    );
    return undefined;
  }
}

async function explainQuiet(db: Database, sql: string): Promise<PlanNode | undefined> {
  try {
    return (await explainGenericPlan(db, sql)).Plan;
  } catch {
    return undefined;
  }
}

function skip(stat: QueryStat, reason: string): SkippedQuery {
  return { queryId: stat.queryId, query: shortSql(stat.query), reason };
}

function helpedQuery(w: Work, costAfter: number): HelpedQuery {
  return {
    queryId: w.stat.queryId,
    query: w.stat.query,
    calls: w.stat.calls,
    meanMs: w.stat.meanMs,
    costBefore: round(w.cost),
    costAfter: round(costAfter),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

type Traffic = Map<string, { reads: number; writes: number }>;

/** Counts statement calls that read and that write each table (pg_stat_statements calls, not rows). */
function countTraffic(traffic: Traffic, shape: QueryShape, calls: number): void {
  const writes = shape.kind === 'insert' || shape.kind === 'update' || shape.kind === 'delete';
  shape.tables.forEach((table, i) => {
    const entry = traffic.get(table) ?? { reads: 0, writes: 0 };
    if (writes && i === 0) entry.writes += calls;
    else entry.reads += calls;
    traffic.set(table, entry);
  });
}

/**
 * Calls of statements writing a table per call of statements reading it.
 * Above `writeHeavyRatio` the table is write-heavy: each extra index slows
 * every one of those writes. Counted from statements rather than row
 * counters, so a one-off bulk load does not make a table look write-heavy.
 */
export function writesPerRead(traffic: Traffic, table: string): number {
  const t = traffic.get(table);
  return t ? t.writes / Math.max(1, t.reads) : 0;
}

function recommend(
  candidate: CandidateIndex,
  queries: HelpedQuery[],
  method: CostingMethod,
  traffic: Traffic,
  config: AnalyzeConfig,
): IndexRecommendation {
  const ratio = writesPerRead(traffic, candidate.table);
  const indexName = indexNameFor(candidate);
  return {
    table: candidate.table,
    columns: candidate.columns,
    indexName,
    ...indexDdl(candidate, indexName),
    method,
    confidence: method === 'pg-stats' ? 'low' : 'high',
    queries,
    writesPerRead: round(ratio),
    writeHeavy: ratio > config.writeHeavyRatio,
  };
}

/** Estimated cost saved over all calls, to order recommendations. */
function benefit(r: IndexRecommendation): number {
  return r.queries.reduce((sum, q) => sum + (q.costBefore - q.costAfter) * q.calls, 0);
}
