import type { Check, Finding } from '../check.js';
import type { IndexRecommendation } from '../index-advisor/advice.js';
import { type CandidateIndex, describeCandidate, makeCandidate } from '../index-advisor/candidates.js';
import { shortSql, toMigrationName } from '../sql-text.js';

/** The advisor's recommendation as the candidate it was, for planning the run's fixes together. */
export function candidateOf(r: IndexRecommendation): CandidateIndex {
  return makeCandidate(r.table, r.columns, {
    method: r.indexType,
    ...(r.descending ? { descending: r.descending } : {}),
    ...(r.nullsFirst ? { nullsFirst: r.nullsFirst } : {}),
    ...(r.include ? { include: r.include } : {}),
    ...(r.predicate ? { predicate: r.predicate } : {}),
  });
}

/**
 * Indexes the index advisor recommends for the statements in
 * pg_stat_statements: each finding names the statements it helps, their
 * measured time and their estimated cost before and after.
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
      const candidate = candidateOf(r);
      const writeNote = r.writeHeavy
        ? ` The table is write-heavy (${r.writesPerRead} writing statements per reading one), so the bar was ${Math.round(ctx.config.writeHeavyMinCostSaving * 100)}% and each write will maintain one more index.`
        : '';
      const staleNote = advice.staleStatistics.some((s) => s.table === r.table)
        ? ` Priced after ANALYZE ${r.table} (its statistics are stale; see stale-statistics).`
        : '';
      const replaceNote =
        r.replaces.length > 0
          ? ` It makes ${r.replaces.join(', ')} redundant, which the migration drops after the build.`
          : '';
      const kind =
        r.indexType === 'gin-trgm'
          ? ' (trigram, for LIKE/ILIKE; the migration creates pg_trgm)'
          : r.predicate
            ? ' (partial)'
            : r.include
              ? ' (covering: the scan reads no table rows)'
              : '';
      return {
        check: 'missing-index',
        severity: r.confidence === 'high' ? 'warning' : 'info',
        title: `${describeCandidate(candidate)} would cut the cost of ${r.queries.length} statement(s), e.g. ${best.costBefore} → ${best.costAfter}`,
        object: { type: 'table', name: r.table },
        evidence: {
          window: ctx.window.description,
          columns: r.columns,
          index: describeCandidate(candidate),
          indexType: r.indexType,
          method: r.method,
          confidence: r.confidence,
          writesPerRead: r.writesPerRead,
          estimatedSavedMs: r.estimatedSavedMs,
          replaces: r.replaces,
          queries: r.queries.map((q) => ({
            queryId: q.queryId,
            query: shortSql(q.query),
            calls: q.calls,
            meanMs: Math.round(q.meanMs * 100) / 100,
            totalMs: q.totalMs,
            costBefore: q.costBefore,
            costAfter: q.costAfter,
          })),
        },
        recommendation: `Create the index ${r.indexName}${kind} (${r.method === 'pg-stats' ? 'estimated from pg_stats; check with tenon db explain after building it' : `the planner chose it with ${r.method}`}).${staleNote}${replaceNote}${writeNote}`,
        fix: {
          name: toMigrationName(`add_index_${r.indexName}`),
          up: r.createSql,
          down: r.dropSql,
          migration: true,
          createsIndex: { candidate, name: r.indexName },
        },
      };
    });
  },
};
