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

/**
 * How long an estimate is reused for the same query and parameters. Finding
 * that a list is over {@link EXACT_TOTAL_LIMIT} reads that many rows, and the
 * estimate is an EXPLAIN: two queries that cost more than the page itself,
 * for a figure that is approximate anyway. Within this window the next pages
 * of the same list answer the same estimate (still `totalExact: false`);
 * exact totals are never reused.
 */
export const ESTIMATE_REUSE_MS = 1_000;

/** Estimates kept at most (the oldest goes first): distinct filters of a busy API stay bounded in memory. */
const MAX_KEPT = 1_000;

/** A list's total and whether it is exact. */
export interface RowCount {
  total: number;
  exact: boolean;
}

/** Estimates of each database by query and parameters, with when they were made (this process only). */
const kept = new WeakMap<Db, Map<string, { total: number; at: number }>>();

/**
 * Counts the rows of `from` (a table with its `where …` and `$n` parameters):
 * exactly when there are at most {@link EXACT_TOTAL_LIMIT} (a count that stops
 * reading there), else the planner's estimate of the same query, from
 * EXPLAIN (catalog statistics: `pg_class.reltuples` and the column statistics
 * of ANALYZE, no rows read), never below the rows already seen. An estimate
 * is reused for {@link ESTIMATE_REUSE_MS}; `now` is the clock (tests set it).
 */
export async function countRows(
  db: Db,
  from: string,
  params: readonly unknown[],
  now: number = Date.now(),
): Promise<RowCount> {
  let estimates = kept.get(db);
  if (!estimates) kept.set(db, (estimates = new Map()));
  const key = `${from}\u0000${JSON.stringify(params)}`;
  const known = estimates.get(key);
  if (known && now - known.at < ESTIMATE_REUSE_MS) return { total: known.total, exact: false };
  const bounded = [...params, EXACT_TOTAL_LIMIT + 1];
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from (select 1 from ${from} limit $${bounded.length}) as counted`,
    bounded,
  );
  const seen = rows[0]!.n;
  if (seen <= EXACT_TOTAL_LIMIT) {
    estimates.delete(key);
    return { total: seen, exact: true };
  }
  const plan = await db.query<{ 'QUERY PLAN': unknown }>(`explain (format json) select 1 from ${from}`, params);
  const raw = plan.rows[0]?.['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: { 'Plan Rows': number } }];
  const estimate = Math.round(parsed[0]?.Plan?.['Plan Rows'] ?? 0);
  const total = Math.max(seen, estimate);
  estimates.delete(key);
  if (estimates.size >= MAX_KEPT) estimates.delete(estimates.keys().next().value!);
  estimates.set(key, { total, at: now });
  return { total, exact: false };
}
