import type { Check, Finding } from '../check.js';
import { shortSql, toMigrationName } from '../sql-text.js';

/**
 * Indexes the index advisor recommends for the statements in
 * pg_stat_statements: each finding names the statements it helps and their
 * estimated cost before and after.
 */
export const missingIndex: Check = {
  id: 'missing-index',
  title: 'Indexes the workload needs',
  severities: {
    warning:
      'the planner used the index (hypopg or a rolled-back real build) and it cuts the cost by minCostSaving or more',
    info: 'estimated from pg_stats only (large table, no hypopg): lower confidence',
  },
  requires: ['queries'],
  async run(ctx) {
    const advice = await ctx.indexAdvice();
    return advice.recommendations.map((r): Finding => {
      const best = r.queries.reduce((a, b) =>
        b.costBefore - b.costAfter > a.costBefore - a.costAfter ? b : a,
      );
      const writeNote = r.writeHeavy
        ? ` The table is write-heavy (${r.writesPerRead} writing statements per reading one), so the bar was ${Math.round(ctx.config.writeHeavyMinCostSaving * 100)}% and each write will maintain one more index.`
        : '';
      return {
        check: 'missing-index',
        severity: r.confidence === 'high' ? 'warning' : 'info',
        title: `${r.table}(${r.columns.join(', ')}) would cut the cost of ${r.queries.length} statement(s), e.g. ${best.costBefore} → ${best.costAfter}`,
        object: { type: 'table', name: r.table },
        evidence: {
          columns: r.columns,
          method: r.method,
          confidence: r.confidence,
          writesPerRead: r.writesPerRead,
          queries: r.queries.map((q) => ({
            queryId: q.queryId,
            query: shortSql(q.query),
            calls: q.calls,
            meanMs: Math.round(q.meanMs * 100) / 100,
            costBefore: q.costBefore,
            costAfter: q.costAfter,
          })),
        },
        recommendation: `Create the index ${r.indexName} (${r.method === 'pg-stats' ? 'estimated from pg_stats; check with tenon db explain after building it' : `the planner chose it with ${r.method}`}).${writeNote}`,
        fix: {
          name: toMigrationName(`add_index_${r.indexName}`),
          up: r.createSql,
          down: r.dropSql,
          migration: true,
        },
      };
    });
  },
};
