import type { CandidateMethod } from './candidates.js';

/** How a recommendation's cost after was obtained. */
export type CostingMethod = 'hypopg' | 'real-index' | 'pg-stats';

/** A statement a recommended index helps, with its measured time and the planner's cost estimates. */
export interface HelpedQuery {
  queryId: string;
  query: string;
  calls: number;
  meanMs: number;
  /** Measured total execution time (pg_stat_statements); 0 for statements given in a file. */
  totalMs: number;
  /** Estimated cost of the generic plan today (after a rolled-back ANALYZE when statistics were stale). */
  costBefore: number;
  /** Estimated cost with the recommended index (or indexes). */
  costAfter: number;
}

/** One index the advisor recommends creating. */
export interface IndexRecommendation {
  /** `schema.table`. */
  table: string;
  /** Key columns, in order. */
  columns: string[];
  /** Per key column, true when descending (absent: all ascending). */
  descending?: boolean[];
  /** Per key column, NULLS FIRST/LAST where it departs from the direction's default. */
  nullsFirst?: (boolean | undefined)[];
  /** INCLUDE columns (a covering index). */
  include?: string[];
  /** Partial index predicate. */
  predicate?: string;
  /** `btree`, or `gin-trgm` (GIN with pg_trgm's gin_trgm_ops, for LIKE/ILIKE '%…%'). */
  indexType: CandidateMethod;
  /** Name for the new index. */
  indexName: string;
  /** The migration's up SQL (`CREATE INDEX CONCURRENTLY …`; for a partitioned table ON ONLY + per partition + ATTACH). */
  createSql: string;
  /** The migration's down SQL. */
  dropSql: string;
  /** Existing indexes the new one makes redundant (dropped by createSql after the build). */
  replaces: string[];
  method: CostingMethod;
  /** `high` when the planner chose the index (hypopg or a real build); `low` for pg_stats rules. */
  confidence: 'high' | 'low';
  queries: HelpedQuery[];
  /** Measured time the index would save, estimated as each statement's total time × its cost cut. */
  estimatedSavedMs: number;
  /** Calls of statements writing the table per call of statements reading it; indexes slow every write. */
  writesPerRead: number;
  writeHeavy: boolean;
}

/** A statement the advisor looked at but could not or need not help. */
export interface SkippedQuery {
  queryId: string;
  query: string;
  reason: string;
}

/** A statement whose row estimate was far from what pg_stat_statements measured, and what ANALYZE changed. */
export interface MisestimatedQuery {
  queryId: string;
  query: string;
  calls: number;
  /** Measured rows per call (pg_stat_statements rows / calls). */
  rowsPerCall: number;
  /** The generic plan's row estimate with the statistics of today. */
  estimatedRows: number;
  /** The estimate after ANALYZE (run inside the rolled-back transaction). */
  estimatedRowsAfterAnalyze: number;
  costBefore: number;
  costAfterAnalyze: number;
}

/** A table whose planner statistics no longer describe it. */
export interface StaleStatistics {
  /** `schema.table`. */
  table: string;
  /** Columns the misestimated statements filter on. */
  columns: string[];
  /** What to run: `ANALYZE public.pgbench_accounts;`. */
  analyzeSql: string;
  lastAnalyze: string | null;
  modifiedSinceAnalyze: number;
  queries: MisestimatedQuery[];
}

/** The index advisor's answer. */
export interface IndexAdvice {
  recommendations: IndexRecommendation[];
  /** Tables whose statistics are stale; the recommendations were priced after a rolled-back ANALYZE of them. */
  staleStatistics: StaleStatistics[];
  /** Which ways of costing candidates were used, and why others were not. */
  methods: CostingMethod[];
  notes: string[];
  /** Statements considered (enough calls and time, parsable, on known tables). */
  analyzed: number;
  skipped: SkippedQuery[];
}
