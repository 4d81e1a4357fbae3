import type { Check, Finding } from '../check.js';
import { toMigrationName } from '../sql-text.js';

/**
 * Tables whose planner statistics no longer describe them, found from
 * measured data: a statement's rows per call (pg_stat_statements) 10× and
 * 1000 rows away from its plan's estimate, and an ANALYZE (inside the index
 * advisor's rolled-back transaction) that brings the estimate 10× closer.
 * Typical after a bulk load or a mass update that autovacuum has not
 * analyzed yet: pgbench's `abalance` is 0 for every row right after
 * `pgbench -i`, so the planner expects `where abalance = $1` to return
 * every row and no index can look worth it.
 */
export const staleStatistics: Check = {
  id: 'stale-statistics',
  title: 'Stale planner statistics',
  severities: {
    warning:
      'the measured rows per call are 10× and 1000 rows away from the estimate, and ANALYZE fixes the estimate',
  },
  requires: ['pg_stat_statements'],
  async run(ctx) {
    const advice = await ctx.indexAdvice();
    return advice.staleStatistics.map((s): Finding => {
      const q = s.queries[0]!;
      return {
        check: 'stale-statistics',
        severity: 'warning',
        title: `${s.table}: the planner expects ${q.estimatedRows} rows where ${q.rowsPerCall} per call were measured (statistics are stale)`,
        object: { type: 'table', name: s.table },
        evidence: {
          columns: s.columns,
          lastAnalyze: s.lastAnalyze,
          modifiedSinceAnalyze: s.modifiedSinceAnalyze,
          queries: s.queries,
        },
        recommendation: `Run ${s.analyzeSql} now (after ANALYZE the estimate is ${q.estimatedRowsAfterAnalyze} rows and the cost ${q.costBefore} → ${q.costAfterAnalyze}); if it goes stale again after bulk changes, lower autovacuum_analyze_scale_factor for the table or ANALYZE after each load. The index advice was priced on the fresh statistics.`,
        fix: { name: toMigrationName(`analyze_${s.table}`), up: s.analyzeSql, down: '', migration: false },
      };
    });
  },
};
