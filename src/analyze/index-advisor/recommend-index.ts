import type { AnalyzeConfig } from '../analyze-config.js';
import type { CostingMethod, HelpedQuery, IndexRecommendation } from './advice.js';
import { type CandidateIndex, indexNameFor } from './candidates.js';
import { indexBuildSql, madeRedundant } from './index-ddl.js';
import type { Partitions } from './partitions.js';
import type { PlannedStatement } from './statement-plans.js';
import { type Traffic, writesPerRead } from './workload-traffic.js';

/** What writing an index's DDL needs to know of the schema. */
export interface BuildInfo {
  partitions: Partitions;
  indexes: Parameters<typeof madeRedundant>[1];
  trigramSchema: () => string | undefined;
}

/** The recommendation for a chosen candidate: its DDL, the statements it helps, and the time it saves. */
export function recommend(
  candidate: CandidateIndex,
  queries: HelpedQuery[],
  method: CostingMethod,
  traffic: Traffic,
  config: AnalyzeConfig,
  build: BuildInfo,
): IndexRecommendation {
  const ratio = writesPerRead(traffic, candidate.table);
  const indexName = indexNameFor(candidate);
  const replaces = madeRedundant(candidate, build.indexes);
  const trigramSchema = build.trigramSchema();
  const sql = indexBuildSql(candidate, indexName, {
    tree: build.partitions.tree(candidate.table),
    existing: build.indexes,
    dropped: new Set(),
    replaces,
    ...(trigramSchema ? { trigramSchema } : {}),
  });
  const rec: IndexRecommendation = {
    table: candidate.table,
    columns: candidate.columns,
    indexType: candidate.method,
    indexName,
    createSql: sql.up,
    dropSql: sql.down,
    replaces: replaces.map((r) => r.qualified),
    method,
    confidence: method === 'pg-stats' ? 'low' : 'high',
    queries,
    estimatedSavedMs: round(
      queries.reduce((sum, q) => sum + q.totalMs * (1 - q.costAfter / Math.max(q.costBefore, 1e-9)), 0),
    ),
    writesPerRead: round(ratio),
    writeHeavy: ratio > config.writeHeavyRatio,
  };
  if (candidate.descending) rec.descending = candidate.descending;
  if (candidate.nullsFirst) rec.nullsFirst = candidate.nullsFirst;
  if (candidate.include) rec.include = candidate.include;
  if (candidate.predicate) rec.predicate = candidate.predicate;
  return rec;
}

/** Estimated cost saved over all calls, to order recommendations without measured time. */
export function benefit(r: IndexRecommendation): number {
  return r.queries.reduce((sum, q) => sum + (q.costBefore - q.costAfter) * Math.max(q.calls, 1), 0);
}

/** A statement as a recommendation lists it, with its cost before and after the index. */
export function helpedQuery(w: PlannedStatement, costAfter: number): HelpedQuery {
  return {
    queryId: w.stat.queryId,
    query: w.stat.query,
    calls: w.stat.calls,
    meanMs: w.stat.meanMs,
    totalMs: round(w.stat.totalMs),
    costBefore: round(w.cost),
    costAfter: round(costAfter),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
