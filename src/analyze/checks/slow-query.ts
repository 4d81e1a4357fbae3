import { formatDuration } from '../../core/duration.js';
import type { QueryStat } from '../catalog/query-stats.js';
import type { Check, Finding } from '../check.js';
import { explainGenericPlan } from '../generic-plan.js';
import { type PlanSummary, summarizePlan } from '../plan-summary.js';
import { inRolledBackTransaction } from '../rolled-back.js';
import { shortSql } from '../sql-text.js';
import { isWorkloadStatement } from '../statement-kind.js';

/**
 * Statements slow on average, or taking most of the database's execution
 * time, from pg_stat_statements, each with a summary of its generic plan
 * and the index that would help when the advisor found one.
 */
export const slowQuery: Check = {
  id: 'slow-query',
  title: 'Slow statements',
  severities: {
    critical: 'mean time at least 10 × slowQueryMean',
    warning:
      'mean time at least slowQueryMean, or at least slowQueryTotalShare of all execution time and slowQueryTotal',
  },
  requires: ['pg_stat_statements'],
  async run(ctx) {
    const { slowQueryMean, slowQueryTotal, slowQueryTotalShare, minCalls } = ctx.config;
    const stats = await ctx.catalog.queryStats();
    const slow: { s: QueryStat; share: number; byMean: boolean }[] = [];
    for (const s of stats.statements) {
      if (s.queryId.startsWith('file:') || s.calls < minCalls || !(await isWorkloadStatement(s.query)))
        continue;
      const share = stats.totalMs > 0 ? s.totalMs / stats.totalMs : 0;
      const byMean = s.meanMs >= slowQueryMean;
      const byTotal = share >= slowQueryTotalShare && s.totalMs >= slowQueryTotal;
      if (byMean || byTotal) slow.push({ s, share, byMean });
    }
    if (slow.length === 0) return [];
    const tableRows = new Map(
      (await ctx.catalog.tables()).map((t) => [t.name, Math.max(t.liveRows, t.reltuples)]),
    );
    const plans = await inRolledBackTransaction(ctx.db, async (tx) => {
      await tx.query(`SET LOCAL statement_timeout = ${Math.round(ctx.config.explainTimeout)}`);
      const out = new Map<string, PlanSummary | string>();
      for (const { s } of slow) {
        try {
          const plan = await explainGenericPlan(tx, s.query);
          out.set(s.queryId, summarizePlan(plan, { largeTableRows: ctx.config.seqScanMinRows, tableRows }));
        } catch (error) {
          out.set(s.queryId, `no plan: ${(error as Error).message}`);
        }
      }
      return out;
    });
    const advice = ctx.capabilities.pgStatStatements.available ? await ctx.indexAdvice() : undefined;
    return slow.map(({ s, share, byMean }): Finding => {
      const plan = plans.get(s.queryId);
      const index = advice?.recommendations.find((r) => r.queries.some((q) => q.queryId === s.queryId));
      const issues = typeof plan === 'object' ? plan.issues.map((i) => `${i.node}: ${i.advice}`) : [];
      const steps = [
        ...(index
          ? [`create ${index.indexName} on ${index.table}(${index.columns.join(', ')}) (see missing-index)`]
          : []),
        ...issues,
      ];
      return {
        check: 'slow-query',
        severity: s.meanMs >= slowQueryMean * 10 ? 'critical' : 'warning',
        title: byMean
          ? `${formatDuration(s.meanMs)} on average over ${s.calls} calls: ${shortSql(s.query, 80)}`
          : `${Math.round(share * 100)}% of all execution time (${formatDuration(s.totalMs)}): ${shortSql(s.query, 80)}`,
        object: { type: 'query', name: s.queryId },
        evidence: {
          window: ctx.window.description,
          query: s.query,
          calls: s.calls,
          meanMs: round(s.meanMs),
          totalMs: round(s.totalMs),
          shareOfTotal: round(share),
          rowsPerCall: round(s.rows / Math.max(s.calls, 1)),
          sharedBlocksRead: s.sharedBlocksRead,
          plan: plan ?? null,
        },
        recommendation:
          steps.length > 0
            ? `${steps.map((step) => step.replace(/\.$/, '')).join('; ')}.`
            : 'Check the plan with tenon db explain --analyze; consider caching or rewriting the statement.',
      };
    });
  },
};

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
