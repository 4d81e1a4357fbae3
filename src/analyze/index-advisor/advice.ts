/** How a recommendation's cost after was obtained. */
export type CostingMethod = 'hypopg' | 'real-index' | 'pg-stats';

/** A statement a recommended index helps, with the planner's cost estimates. */
export interface HelpedQuery {
  queryId: string;
  query: string;
  calls: number;
  meanMs: number;
  /** Estimated cost of the generic plan today. */
  costBefore: number;
  /** Estimated cost with the recommended index (or indexes). */
  costAfter: number;
}

/** One index the advisor recommends creating. */
export interface IndexRecommendation {
  /** `schema.table`. */
  table: string;
  columns: string[];
  /** Name for the new index. */
  indexName: string;
  /** `CREATE INDEX CONCURRENTLY IF NOT EXISTS …`. */
  createSql: string;
  /** `DROP INDEX CONCURRENTLY IF EXISTS …`. */
  dropSql: string;
  method: CostingMethod;
  /** `high` when the planner chose the index (hypopg or a real build); `low` for pg_stats rules. */
  confidence: 'high' | 'low';
  queries: HelpedQuery[];
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

/** The index advisor's answer. */
export interface IndexAdvice {
  recommendations: IndexRecommendation[];
  /** Which ways of costing candidates were used, and why others were not. */
  methods: CostingMethod[];
  notes: string[];
  /** Statements considered (enough calls, parsable, on known tables). */
  analyzed: number;
  skipped: SkippedQuery[];
}
