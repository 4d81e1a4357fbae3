import type { Database } from '../../core/db/index.js';
import { quoteIdent } from '../../core/sql/quote.js';
import type { Capabilities } from '../capabilities.js';
import { NOT_TENON_SQL, TAG } from '../sql-text.js';
import { num } from './values.js';

/** One normalized statement from pg_stat_statements (or a given query). */
export interface QueryStat {
  /** pg_stat_statements `queryid`, or `file:N` for a statement given in a file. */
  queryId: string;
  /** Normalized text (`$1` for constants). */
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
  sharedBlocksHit: number;
  sharedBlocksRead: number;
}

/** A statement's cumulative counters, summed over the users that ran it (what a snapshot keeps). */
export interface StatementCounters {
  queryId: string;
  calls: number;
  totalMs: number;
  rows: number;
  sharedBlocksHit: number;
  sharedBlocksRead: number;
}

/** The statements of this database, heaviest first, with the database's total execution time. */
export interface QueryStats {
  statements: QueryStat[];
  /** Sum of total execution time over every statement of this database. */
  totalMs: number;
}

/** The most statements read when a window is subtracted (pg_stat_statements.max defaults to 5000). */
const WINDOW_STATEMENTS_MAX = 20_000;

interface ViewSql {
  view: string;
  total: string;
  mean: string;
  where: string;
}

function viewSql(caps: Pick<Capabilities, 'pgStatStatements'>): ViewSql | undefined {
  const pss = caps.pgStatStatements;
  if (!pss.available || !pss.schema) return undefined;
  const cols = new Set(pss.columns);
  const toplevel = cols.has('toplevel') ? 'and toplevel' : '';
  return {
    view: `${quoteIdent(pss.schema)}.pg_stat_statements`,
    total: cols.has('total_exec_time') ? 'total_exec_time' : 'total_time',
    mean: cols.has('mean_exec_time') ? 'mean_exec_time' : 'mean_time',
    where: `dbid = (select oid from pg_database where datname = current_database()) ${toplevel}
       and ${NOT_TENON_SQL} and query <> '<insufficient privilege>'`,
  };
}

/**
 * Reads pg_stat_statements for the current database. Handles the column
 * names of every extension version (`total_exec_time` since 1.8 / PG13,
 * `total_time` before) and, from 1.9 (PG14), keeps top-level statements
 * only so a function's inner statements are not counted twice. tenon's own
 * statements are left out.
 *
 * With `baseline` (a snapshot's counters), each statement's counters are
 * what it did since then: the `limit` heaviest by that time, and the total
 * of the window. A statement whose counters went down was reset (or evicted
 * and seen again) after the snapshot: its counters count whole.
 */
export async function loadQueryStats(
  db: Database,
  caps: Capabilities,
  limit = 500,
  baseline?: ReadonlyMap<string, StatementCounters>,
): Promise<QueryStats> {
  const sql = viewSql(caps);
  if (!sql) return { statements: [], totalMs: 0 };
  const { view, total, mean, where } = sql;
  const cap = baseline ? WINDOW_STATEMENTS_MAX : Math.trunc(limit);
  const { rows } = await db.query<Record<string, unknown>>(
    `select ${TAG} queryid::text as queryid, query, calls, ${total} as total_ms, ${mean} as mean_ms, rows,
       shared_blks_hit, shared_blks_read
     from ${view} where ${where}
     order by ${total} desc limit ${cap}`,
  );
  const statements = rows.map((r) => ({
    queryId: String(r.queryid),
    query: String(r.query),
    calls: num(r.calls),
    totalMs: num(r.total_ms),
    meanMs: num(r.mean_ms),
    rows: num(r.rows),
    sharedBlocksHit: num(r.shared_blks_hit),
    sharedBlocksRead: num(r.shared_blks_read),
  }));
  if (baseline) {
    const inWindow = subtractStatements(statements, baseline);
    return {
      statements: inWindow.slice(0, Math.trunc(limit)),
      totalMs: inWindow.reduce((sum, s) => sum + s.totalMs, 0),
    };
  }
  const sum = await db.query<{ total: unknown }>(
    `select ${TAG} coalesce(sum(${total}), 0) as total from ${view} where ${where}`,
  );
  return { statements, totalMs: num(sum.rows[0]?.total) };
}

/**
 * Each statement's counters minus a snapshot's (rows of one query id are
 * summed first: pg_stat_statements keeps one per user), heaviest first;
 * statements not called since the snapshot are left out.
 */
export function subtractStatements(
  statements: readonly QueryStat[],
  baseline: ReadonlyMap<string, StatementCounters>,
): QueryStat[] {
  const byId = new Map<string, QueryStat>();
  for (const s of statements) {
    const seen = byId.get(s.queryId);
    byId.set(
      s.queryId,
      seen
        ? {
            ...seen,
            calls: seen.calls + s.calls,
            totalMs: seen.totalMs + s.totalMs,
            rows: seen.rows + s.rows,
            sharedBlocksHit: seen.sharedBlocksHit + s.sharedBlocksHit,
            sharedBlocksRead: seen.sharedBlocksRead + s.sharedBlocksRead,
          }
        : { ...s },
    );
  }
  const out: QueryStat[] = [];
  for (const s of byId.values()) {
    const base = baseline.get(s.queryId);
    const reset = !base || s.calls < base.calls || s.totalMs < base.totalMs;
    const d = reset
      ? s
      : {
          ...s,
          calls: s.calls - base.calls,
          totalMs: s.totalMs - base.totalMs,
          rows: s.rows - base.rows,
          sharedBlocksHit: Math.max(0, s.sharedBlocksHit - base.sharedBlocksHit),
          sharedBlocksRead: Math.max(0, s.sharedBlocksRead - base.sharedBlocksRead),
        };
    if (d.calls <= 0) continue;
    out.push({ ...d, meanMs: d.totalMs / d.calls });
  }
  return out.sort((a, b) => b.totalMs - a.totalMs);
}

/** Every statement's cumulative counters, summed per query id (for a snapshot, or a load run's deltas). */
export async function loadStatementCounters(
  db: Database,
  caps: Pick<Capabilities, 'pgStatStatements'>,
): Promise<Map<string, StatementCounters>> {
  const sql = viewSql(caps);
  const out = new Map<string, StatementCounters>();
  if (!sql) return out;
  const { rows } = await db.query<Record<string, unknown>>(
    `select ${TAG} queryid::text as queryid, sum(calls) as calls, sum(${sql.total}) as total_ms, sum(rows) as rows,
       sum(shared_blks_hit) as shared_blks_hit, sum(shared_blks_read) as shared_blks_read
     from ${sql.view} where ${sql.where} group by queryid`,
  );
  for (const r of rows) {
    const queryId = String(r.queryid);
    out.set(queryId, {
      queryId,
      calls: num(r.calls),
      totalMs: num(r.total_ms),
      rows: num(r.rows),
      sharedBlocksHit: num(r.shared_blks_hit),
      sharedBlocksRead: num(r.shared_blks_read),
    });
  }
  return out;
}

/** The normalized text of the given statements (by query id), for naming them after a window. */
export async function loadStatementTexts(
  db: Database,
  caps: Pick<Capabilities, 'pgStatStatements'>,
  queryIds: readonly string[],
): Promise<Map<string, string>> {
  const sql = viewSql(caps);
  const out = new Map<string, string>();
  if (!sql || queryIds.length === 0) return out;
  const { rows } = await db.query<{ queryid: string; query: string }>(
    `select ${TAG} distinct on (queryid) queryid::text as queryid, query from ${sql.view}
     where ${sql.where} and queryid::text = any($1::text[])`,
    [queryIds],
  );
  for (const r of rows) out.set(String(r.queryid), String(r.query));
  return out;
}
