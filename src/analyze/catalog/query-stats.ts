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

/** The statements of this database, heaviest first, with the database's total execution time. */
export interface QueryStats {
  statements: QueryStat[];
  /** Sum of total execution time over every statement of this database. */
  totalMs: number;
}

/**
 * Reads pg_stat_statements for the current database. Handles the column
 * names of every extension version (`total_exec_time` since 1.8 / PG13,
 * `total_time` before) and, from 1.9 (PG14), keeps top-level statements
 * only so a function's inner statements are not counted twice. tenon's own
 * statements are left out.
 */
export async function loadQueryStats(db: Database, caps: Capabilities, limit = 500): Promise<QueryStats> {
  const pss = caps.pgStatStatements;
  if (!pss.available || !pss.schema) return { statements: [], totalMs: 0 };
  const cols = new Set(pss.columns);
  const total = cols.has('total_exec_time') ? 'total_exec_time' : 'total_time';
  const mean = cols.has('mean_exec_time') ? 'mean_exec_time' : 'mean_time';
  const toplevel = cols.has('toplevel') ? 'and toplevel' : '';
  const view = `${quoteIdent(pss.schema)}.pg_stat_statements`;
  const where = `dbid = (select oid from pg_database where datname = current_database()) ${toplevel}
       and ${NOT_TENON_SQL} and query <> '<insufficient privilege>'`;
  const { rows } = await db.query<Record<string, unknown>>(
    `select ${TAG} queryid::text as queryid, query, calls, ${total} as total_ms, ${mean} as mean_ms, rows,
       shared_blks_hit, shared_blks_read
     from ${view} where ${where}
     order by ${total} desc limit ${Math.trunc(limit)}`,
  );
  const sum = await db.query<{ total: unknown }>(
    `select ${TAG} coalesce(sum(${total}), 0) as total from ${view} where ${where}`,
  );
  return {
    statements: rows.map((r) => ({
      queryId: String(r.queryid),
      query: String(r.query),
      calls: num(r.calls),
      totalMs: num(r.total_ms),
      meanMs: num(r.mean_ms),
      rows: num(r.rows),
      sharedBlocksHit: num(r.shared_blks_hit),
      sharedBlocksRead: num(r.shared_blks_read),
    })),
    totalMs: num(sum.rows[0]?.total),
  };
}
