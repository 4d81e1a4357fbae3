import type { Db } from './database.js';

/**
 * Lists count their rows exactly up to this many; above it `total` is the
 * planner's estimate and `meta.totalExact` is false. An exact `count(*)` reads
 * every matching row on every page (100k rows cost more than the page itself),
 * while a client paging through a large table needs the order of magnitude,
 * not the last digit. Raise it if your clients need exact totals of larger
 * lists; keyset pages (`cursor`) never count.
 */
export const EXACT_TOTAL_LIMIT = 1_000;

/** A list's total and whether it is exact. */
export interface RowCount {
  total: number;
  exact: boolean;
}

/**
 * Counts the rows of `from` (a table with its `where …` and `$n` parameters):
 * exactly when there are at most {@link EXACT_TOTAL_LIMIT} (a count that stops
 * reading there), else the planner's estimate of the same query, from
 * EXPLAIN (catalog statistics: `pg_class.reltuples` and the column statistics
 * of ANALYZE, no rows read), never below the rows already seen.
 */
export async function countRows(db: Db, from: string, params: readonly unknown[]): Promise<RowCount> {
  const bounded = [...params, EXACT_TOTAL_LIMIT + 1];
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from (select 1 from ${from} limit $${bounded.length}) as counted`,
    bounded,
  );
  const seen = rows[0]!.n;
  if (seen <= EXACT_TOTAL_LIMIT) return { total: seen, exact: true };
  const plan = await db.query<{ 'QUERY PLAN': unknown }>(`explain (format json) select 1 from ${from}`, params);
  const raw = plan.rows[0]?.['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: { 'Plan Rows': number } }];
  const estimate = Math.round(parsed[0]?.Plan?.['Plan Rows'] ?? 0);
  return { total: Math.max(seen, estimate), exact: false };
}
