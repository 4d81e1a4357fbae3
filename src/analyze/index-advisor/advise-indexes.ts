import type { Database } from '../../core/db/index.js';
import { formatDuration } from '../../core/duration.js';
import type { AnalyzeConfig } from '../analyze-config.js';
import type { Capabilities } from '../capabilities.js';
import type { Catalog } from '../catalog/catalog.js';
import type { QueryStat } from '../catalog/query-stats.js';
import type { PlanNode } from '../plan.js';
import { type QueryShape, queryShape } from '../query-shape.js';
import { inRolledBackTransaction } from '../rolled-back.js';
import { shortSql, TAG } from '../sql-text.js';
import type { CostingMethod, HelpedQuery, IndexAdvice, IndexRecommendation, SkippedQuery } from './advice.js';
import { type CandidateIndex, candidatesFor, coveredByExisting, coveringVariant } from './candidates.js';
import { COVERING_MIN_GAIN, COVERING_MIN_ROWS, coveringFor, servesWholeSort, width } from './covering.js';
import { makeResolver } from './name-resolver.js';
import { withMeasuredLimit } from './param-types.js';
import { partitionsOf } from './partitions.js';
import { rowsPerCall, unselectivePatternTables } from './pattern-selectivity.js';
import { estimateWithPgStats } from './pg-stats-rules.js';
import { type Trial, trialOf, usesAny } from './plan-trial.js';
import { benefit, helpedQuery, recommend } from './recommend-index.js';
import { findStaleStatistics, type PlannedStatement, planStatement, replan } from './statement-plans.js';
import { hypopgCanPrice, prepareHypopg, realIndexWhatIf, type WhatIf } from './what-if.js';
import { countTraffic, writesPerRead } from './workload-traffic.js';

/** What the advisor needs: the database, what it can do, catalog data and thresholds. */
export interface AdvisorContext {
  db: Database;
  capabilities: Capabilities;
  catalog: Catalog;
  config: AnalyzeConfig;
}

interface Work extends PlannedStatement {
  candidates: CandidateIndex[];
}

interface Chosen {
  candidate: CandidateIndex;
  works: Set<Work>;
}

/**
 * Recommends indexes for the statements in pg_stat_statements (or given
 * ones), the way Dexter does and further:
 * - statements are chosen and ranked by measured time (pg_stat_statements),
 *   not planner cost: none that take microseconds, none skipped for a low
 *   cost when they carry real time;
 * - a generic plan that fails for want of parameter types is retried with
 *   types inferred from the parse tree and the catalog;
 * - where the planner's row estimate is far from the rows measured, the
 *   tables are ANALYZEd inside the rolled-back transaction and everything
 *   is priced on the fresh statistics (reported as stale statistics);
 * - candidates: single and two-column btrees, equality columns + the whole
 *   ORDER BY (with directions), partial indexes for conditions without
 *   parameters, trigram GIN indexes for LIKE/ILIKE, and INCLUDE columns
 *   when they make the scan index-only;
 * - the planner prices each candidate (hypopg, or a real index in a
 *   rolled-back transaction where hypopg cannot, or pg_stats rules marked
 *   low confidence); a candidate must cut a statement's cost by
 *   `minCostSaving` (more on write-heavy tables); a wider index must halve
 *   the cost of a narrower one; an index chosen for one statement that
 *   serves another as well replaces the other's; and a final pass with all
 *   chosen indexes together keeps only those the planner uses.
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
  const partitions = partitionsOf(tables);
  const leaves = partitions.leaves;
  const resolver = makeResolver(tables, columns);
  const skipped: SkippedQuery[] = [];
  const notes: string[] = [];
  const shaped: { stat: QueryStat; shape: QueryShape }[] = [];
  const fast: { stat: QueryStat; shape: QueryShape; share: number }[] = [];
  const traffic = new Map<string, { reads: number; writes: number }>();
  for (const stat of stats.statements) {
    const shape = await queryShape(stat.query, resolver);
    if (shape) countTraffic(traffic, shape, stat.calls);
    const given = stat.queryId.startsWith('file:');
    if (!given && stat.calls < config.minCalls) continue;
    if (!shape) {
      skipped.push(skip(stat, 'the PostgreSQL parser cannot parse it'));
      continue;
    }
    if (!['select', 'update', 'delete'].includes(shape.kind) || shape.tables.length === 0) continue;
    if (shape.uses.length === 0 && shape.patterns.length === 0 && shape.conditions.length === 0) {
      skipped.push(skip(stat, 'it has no filter, join or sort column an index could serve'));
      continue;
    }
    const share = stats.totalMs > 0 ? stat.totalMs / stats.totalMs : 0;
    if (!given && stat.meanMs < config.minQueryMean && share < config.minQueryTimeShare) {
      fast.push({ stat, shape, share });
      continue;
    }
    shaped.push({ stat, shape });
  }
  // A fast statement with the condition of a slow one on the same table stays: a partial index
  // built for the slow one would attract its plan too, so it must be priced with it.
  const conditionsOf = (s: QueryShape) => s.conditions.map((c) => `${c.table}|${c.predicate}`);
  const slowConditions = new Set(shaped.flatMap((s) => conditionsOf(s.shape)));
  for (const f of fast) {
    if (conditionsOf(f.shape).some((c) => slowConditions.has(c))) {
      shaped.push({ stat: f.stat, shape: f.shape });
      continue;
    }
    skipped.push(
      skip(
        f.stat,
        `it takes ${formatDuration(f.stat.meanMs)} a call (under minQueryMean ${formatDuration(config.minQueryMean)}) and ${pct(f.share)} of the execution time (under minQueryTimeShare ${pct(config.minQueryTimeShare)}): an index would save little`,
      ),
    );
  }
  // Heaviest first by measured time: where an index saves the most.
  shaped.sort((a, b) => b.stat.totalMs - a.stat.totalMs);

  return inRolledBackTransaction(ctx.db, async (tx) => {
    await tx.query(`SET LOCAL statement_timeout = ${Math.round(config.explainTimeout)}`);
    const hypo = config.hypopg ? await prepareHypopg(tx, ctx.capabilities, notes, leaves) : undefined;
    if (!config.hypopg) notes.push('hypopg not used (analyze.hypopg = false)');
    let trigramSchema = ctx.capabilities.trigram.schema;
    let trigramReady = ctx.capabilities.trigram.installed;
    const real = realIndexWhatIf(
      tx,
      (table) => partitions.tree(table).partitioned,
      () => trigramSchema,
    );

    const planned: PlannedStatement[] = [];
    for (const { stat, shape } of shaped) {
      const measured = stat.calls > 0 ? stat.rows / stat.calls : undefined;
      const sql = withMeasuredLimit(stat.query, shape, measured) ?? stat.query;
      const attempt = await planStatement(tx, sql, shape, columnMap, sql !== stat.query);
      if (!attempt.ok) {
        skipped.push(skip(stat, attempt.reason));
        continue;
      }
      const p: PlannedStatement = { stat, shape, sql, plan: attempt.plan, cost: attempt.plan['Total Cost'] };
      if (attempt.paramTypes) p.paramTypes = attempt.paramTypes;
      planned.push(p);
    }
    const staleStatistics = await findStaleStatistics(
      { tx, tables: tableMap, leavesOf: leaves },
      planned,
      notes,
    );

    const work: Work[] = [];
    const trigram = ctx.capabilities.trigram.available;
    if (!trigram && ctx.capabilities.trigram.reason && planned.some((p) => p.shape.patterns.length > 0))
      notes.push(ctx.capabilities.trigram.reason);
    for (const p of planned) {
      if (p.stat.queryId.startsWith('file:') && p.cost < config.minQueryCost) {
        skipped.push(
          skip(
            p.stat,
            `its estimated cost ${p.cost.toFixed(0)} is below minQueryCost ${config.minQueryCost} (no measured time: given in a file)`,
          ),
        );
        continue;
      }
      const unselective = unselectivePatternTables(p, tableMap);
      for (const [table, share] of unselective)
        notes.push(
          `no trigram index on ${table} for "${shortSql(p.stat.query)}": it returns ${Math.round(rowsPerCall(p))} rows a call (measured, ${share} % of the table) where the planner's guess for a pattern parameter is ${Math.round(p.plan['Plan Rows'])}; at that share the planner keeps the sequential scan`,
        );
      const candidates = candidatesFor(p.shape, { columns: columnMap, trigram }).filter(
        (c) =>
          tableMap.has(c.table) &&
          !coveredByExisting(c, indexes) &&
          !(c.method === 'gin-trgm' && unselective.has(c.table)),
      );
      if (candidates.length === 0) {
        skipped.push(skip(p.stat, 'existing indexes already serve every column it filters or sorts on'));
        continue;
      }
      // Statements that fetch many rows a call also try each key with the other columns they read
      // INCLUDEd: an index-only scan can win where the heap fetches make the key alone not worth it.
      if (rowsPerCall(p) >= COVERING_MIN_ROWS) {
        for (const c of [...candidates]) {
          const variant = coveringVariant(c, p.shape, columnMap);
          if (variant && !candidates.some((o) => o.key === variant.key)) candidates.push(variant);
        }
      }
      work.push({ ...p, candidates });
    }
    if (work.some((w) => w.candidates.some((c) => c.method === 'gin-trgm')) && !trigramReady) {
      try {
        // Created inside the rolled-back transaction, like hypopg: the migration creates it for real.
        await tx.transaction((sp) => sp.query(`CREATE ${TAG} EXTENSION IF NOT EXISTS pg_trgm`));
        // In the first schema of the search_path, as the migration's CREATE EXTENSION will be: no qualification.
        trigramSchema = undefined;
        trigramReady = true;
      } catch (error) {
        notes.push(`pg_trgm could not be created (${(error as Error).message}); no trigram index is priced`);
        for (const w of work) w.candidates = w.candidates.filter((c) => c.method !== 'gin-trgm');
      }
    }

    const tableBytes = (table: string) =>
      leaves(table).reduce((sum, leaf) => sum + (tableMap.get(leaf)?.tableBytes ?? 0), 0);
    const methodFor = (candidate: CandidateIndex): WhatIf | undefined => {
      if (hypo && hypopgCanPrice(candidate)) return hypo;
      // PGlite has no other way for a btree; a GIN build costs too much to try on large tables anywhere.
      if (ctx.db.kind === 'pglite' && candidate.method === 'btree') return real;
      return tableBytes(candidate.table) <= config.realIndexMaxTableSize ? real : undefined;
    };
    const writeHeavy = (table: string) => writesPerRead(traffic, table) > config.writeHeavyRatio;
    const saving = (table: string) =>
      writeHeavy(table) ? config.writeHeavyMinCostSaving : config.minCostSaving;
    const bar = (w: Work, table: string) => w.cost * (1 - saving(table));

    // Price every candidate alone against the statements that could use it.
    const trials = new Map<string, Map<Work, Trial>>();
    const priceAlone = async (candidate: CandidateIndex, users: Work[]) => {
      const results = trials.get(candidate.key) ?? new Map<Work, Trial>();
      trials.set(candidate.key, results);
      const whatIf = methodFor(candidate);
      if (whatIf) {
        await whatIf.withIndexes([candidate], async (db, [names]) => {
          for (const w of users) {
            const plan = await replan(db, w);
            if (plan) results.set(w, trialOf(plan, names!));
          }
        });
      } else if (candidate.method === 'btree' && !candidate.predicate && !candidate.include) {
        const table = tableMap.get(candidate.table);
        for (const w of users) {
          const after = table ? await estimateWithPgStats(tx, candidate, table, w.plan, w.cost) : undefined;
          if (after !== undefined) results.set(w, { cost: after, used: true, indexOnly: false });
        }
      } else if (candidate.method === 'gin-trgm') {
        noteOnce(
          notes,
          `trigram indexes on tables over realIndexMaxTableSize (${candidate.table}) are not priced: hypopg cannot make GIN indexes`,
        );
      }
    };
    const allCandidates = new Map<string, CandidateIndex>();
    for (const w of work) for (const c of w.candidates) allCandidates.set(c.key, c);
    for (const candidate of allCandidates.values()) {
      try {
        await priceAlone(
          candidate,
          work.filter((w) => w.candidates.some((c) => c.key === candidate.key)),
        );
      } catch (error) {
        notes.push(`${candidate.key} could not be priced: ${(error as Error).message}`);
      }
    }
    const trial = (c: CandidateIndex, w: Work) => trials.get(c.key)?.get(w);
    const good = (c: CandidateIndex, w: Work) => {
      const t = trial(c, w);
      return t?.used && t.cost <= bar(w, c.table) ? t : undefined;
    };

    // For each statement and table, the candidate worth building: the smallest
    // that cuts the cost enough, unless a wider one halves its cost again.
    const chosen = new Map<string, Chosen>();
    for (const w of work) {
      for (const table of new Set(w.candidates.map((c) => c.table))) {
        const options = w.candidates
          .filter((c) => c.table === table)
          .map((c) => ({ c, t: good(c, w) }))
          .filter((x): x is { c: CandidateIndex; t: Trial } => x.t !== undefined)
          .sort((a, b) => width(a.c) - width(b.c) || a.t.cost - b.t.cost);
        let pick = options[0];
        for (const o of options.slice(1)) if (pick && o.t.cost < pick.t.cost * 0.5) pick = o;
        // The index that serves the equality columns and the whole ORDER BY reads only the rows a
        // page returns whatever the values' distribution (a narrower one filters or sorts): it wins
        // whenever it is at least as cheap.
        const sortServing = options.find((o) => servesWholeSort(o.c, w.shape));
        if (pick && sortServing && sortServing.t.cost <= pick.t.cost) pick = sortServing;
        if (!pick) continue;
        const entry = chosen.get(pick.c.key) ?? { candidate: pick.c, works: new Set<Work>() };
        entry.works.add(w);
        chosen.set(pick.c.key, entry);
      }
    }
    // An index chosen for other statements that serves these as well (within 2× of their
    // own choice, and cutting enough) replaces it: one index instead of two.
    for (const entry of [...chosen.values()].sort((a, b) => a.works.size - b.works.size)) {
      const other = [...chosen.values()].find(
        (o) =>
          o !== entry &&
          o.candidate.table === entry.candidate.table &&
          [...entry.works].every((w) => {
            const t = good(o.candidate, w);
            return (
              t &&
              t.cost <= Math.max(2 * trial(entry.candidate, w)!.cost, trial(entry.candidate, w)!.cost + 1)
            );
          }),
      );
      if (other) {
        for (const w of entry.works) other.works.add(w);
        chosen.delete(entry.candidate.key);
      }
    }
    // INCLUDE the other columns the statements read when that makes the scan index-only and cheaper.
    for (const entry of [...chosen.values()]) {
      const works = [...entry.works];
      if (works.some((w) => rowsPerCall(w) < COVERING_MIN_ROWS)) continue;
      const variant = coveringFor(entry.candidate, works, columnMap);
      if (!variant || chosen.has(variant.key)) continue;
      try {
        await priceAlone(variant, works);
      } catch {
        continue;
      }
      const better = works.every((w) => {
        const t = trial(variant, w);
        return t?.used && t.indexOnly && t.cost <= trial(entry.candidate, w)!.cost * (1 - COVERING_MIN_GAIN);
      });
      if (better) {
        chosen.delete(entry.candidate.key);
        chosen.set(variant.key, { candidate: variant, works: entry.works });
      }
    }

    const recommendations: IndexRecommendation[] = [];
    const methods = new Set<CostingMethod>();
    const byMethod = new Map<WhatIf | undefined, Chosen[]>();
    for (const entry of chosen.values()) {
      const m = methodFor(entry.candidate);
      byMethod.set(m, [...(byMethod.get(m) ?? []), entry]);
    }
    const build = { partitions, indexes, trigramSchema: () => trigramSchema };
    for (const [whatIf, entries] of byMethod) {
      if (!whatIf) {
        for (const e of entries) {
          const helped = [...e.works].map((w) => helpedQuery(w, trial(e.candidate, w)?.cost ?? w.cost));
          recommendations.push(recommend(e.candidate, helped, 'pg-stats', traffic, config, build));
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
            const plan = await replan(db, w);
            if (plan) finals.set(w, plan);
          }
          entries.forEach((e, i) => {
            const helped: HelpedQuery[] = [];
            for (const w of e.works) {
              const plan = finals.get(w);
              if (plan && usesAny(plan, names[i]!) && plan['Total Cost'] <= bar(w, e.candidate.table)) {
                helped.push(helpedQuery(w, plan['Total Cost']));
              }
            }
            if (helped.length > 0) {
              recommendations.push(recommend(e.candidate, helped, whatIf.method, traffic, config, build));
              methods.add(whatIf.method);
            }
          });
        },
      );
    }
    recommendations.sort((a, b) => b.estimatedSavedMs - a.estimatedSavedMs || benefit(b) - benefit(a));
    return {
      recommendations,
      staleStatistics,
      methods: [...methods],
      notes,
      analyzed: work.length,
      skipped,
    };
  });
}

function noteOnce(notes: string[], note: string): void {
  if (!notes.includes(note)) notes.push(note);
}

function pct(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function skip(stat: QueryStat, reason: string): SkippedQuery {
  return { queryId: stat.queryId, query: shortSql(stat.query), reason };
}
