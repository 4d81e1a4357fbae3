import type { PlannedStatement } from './statement-plans.js';

/** Share of a table (percent) above which a pattern match is not worth an index. */
const PATTERN_MAX_SHARE = 5;

/**
 * Tables whose pattern filter (`LIKE/ILIKE $1`) matches too much of the table
 * for a trigram index to be used. The generic plan prices a pattern parameter
 * with a fixed guess, not a measurement; custom plans see the real pattern,
 * and when the statement returns (measured) at least {@link PATTERN_MAX_SHARE}
 * % of the table and ten times that guess, the planner keeps the sequential
 * scan and the index would be built for nothing (seen on Pagila: 10 % of
 * `film` per search word, the index never scanned).
 */
export function unselectivePatternTables(
  p: PlannedStatement,
  tables: ReadonlyMap<string, { reltuples: number; liveRows: number }>,
): Map<string, number> {
  const out = new Map<string, number>();
  if (p.stat.calls === 0 || p.shape.patterns.length === 0) return out;
  const measured = rowsPerCall(p);
  if (measured < 10 * Math.max(1, p.plan['Plan Rows'])) return out;
  for (const use of p.shape.patterns) {
    const table = tables.get(use.table);
    const rows = table ? Math.max(table.reltuples, table.liveRows) : 0;
    if (rows <= 0) continue;
    const share = (measured / rows) * 100;
    if (share >= PATTERN_MAX_SHARE) out.set(use.table, Math.round(share));
  }
  return out;
}

/** Rows a call returns: measured when the statement ran, else the plan's estimate. */
export function rowsPerCall(w: PlannedStatement): number {
  return w.stat.calls > 0 ? w.stat.rows / w.stat.calls : w.plan['Plan Rows'];
}
