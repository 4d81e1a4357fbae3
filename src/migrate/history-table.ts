import type { Database } from '../core/db/database.js';
import { TenonError } from '../core/errors.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../core/sql/quote.js';

/**
 * The history table (schema fixed in docs/migrate.md; the runner inside
 * generated projects reads and writes the same table). The SQL builders here
 * are pure functions so tests compare their output as strings.
 */
export interface HistoryTableName {
  schema: string;
  table: string;
}

/** One row of the history table. */
export interface HistoryRow {
  version: string;
  name: string;
  checksum: string;
  state: 'applied' | 'dirty';
  statementsDone: number;
  statementsTotal: number;
  appliedAt: Date;
  executionMs: number;
  appliedBy: string;
  error: string | null;
}

/** The columns tenon needs; a table without them belongs to something else. */
export const HISTORY_COLUMNS = [
  'version',
  'name',
  'checksum',
  'state',
  'statements_done',
  'statements_total',
  'applied_at',
  'execution_ms',
  'applied_by',
  'error',
] as const;

/** `public.tenon_migrations`, each part quoted when PostgreSQL needs it. */
export function qualifiedHistoryName(t: HistoryTableName): string {
  return quoteQualified(t.schema, t.table);
}

/** Creates the schema and the table when missing (idempotent; run under the migration lock). */
export function createHistoryTableSql(t: HistoryTableName): string {
  return `create schema if not exists ${quoteIdent(t.schema)};
create table if not exists ${qualifiedHistoryName(t)} (
  version          text primary key,
  name             text not null,
  checksum         text not null,
  state            text not null default 'applied' check (state in ('applied', 'dirty')),
  statements_done  integer not null default 0,
  statements_total integer not null default 0,
  applied_at       timestamptz not null default now(),
  execution_ms     integer not null default 0,
  applied_by       text not null default current_user,
  error            text
)`;
}

/** Every row, oldest version first. */
export function selectHistorySql(t: HistoryTableName): string {
  return `select version, name, checksum, state, statements_done, statements_total, applied_at, execution_ms, applied_by, error from ${qualifiedHistoryName(t)} order by version`;
}

/** Fields written when a migration is recorded. */
export interface HistoryInsert {
  version: string;
  name: string;
  checksum: string;
  state: 'applied' | 'dirty';
  statementsDone: number;
  statementsTotal: number;
  /** Milliseconds, or an SQL expression that computes them. */
  executionMs: number | string;
  error?: string | null;
  /** SQL expression for applied_by; default `current_user`. */
  appliedByExpression?: string;
}

/** `insert … values (…)` for one or more rows, literals inlined so it can share a round trip with COMMIT. */
export function insertHistorySql(t: HistoryTableName, rows: readonly HistoryInsert[]): string {
  const values = rows
    .map(
      (r) =>
        `(${quoteLiteral(r.version)}, ${quoteLiteral(r.name)}, ${quoteLiteral(r.checksum)}, ${quoteLiteral(r.state)}, ${int(r.statementsDone)}, ${int(r.statementsTotal)}, ${typeof r.executionMs === 'string' ? r.executionMs : int(r.executionMs)}, ${r.appliedByExpression ?? 'current_user'}, ${r.error == null ? 'null' : quoteLiteral(r.error)})`,
    )
    .join(',\n  ');
  return `insert into ${qualifiedHistoryName(t)} (version, name, checksum, state, statements_done, statements_total, execution_ms, applied_by, error) values\n  ${values}`;
}

/** `update … set … where version = …`; `set` values are SQL expressions (use {@link quoteLiteral}). */
export function updateHistorySql(t: HistoryTableName, version: string, set: Record<string, string>): string {
  const assignments = Object.entries(set)
    .map(([column, expression]) => `${column} = ${expression}`)
    .join(', ');
  return `update ${qualifiedHistoryName(t)} set ${assignments} where version = ${quoteLiteral(version)}`;
}

/** `delete … where version = …`. */
export function deleteHistorySql(t: HistoryTableName, version: string): string {
  return `delete from ${qualifiedHistoryName(t)} where version = ${quoteLiteral(version)}`;
}

function int(n: number): string {
  return String(Math.max(0, Math.round(n)));
}

interface RawHistoryRow {
  version: string;
  name: string;
  checksum: string;
  state: 'applied' | 'dirty';
  statements_done: number;
  statements_total: number;
  applied_at: Date | string;
  execution_ms: number;
  applied_by: string;
  error: string | null;
}

/**
 * Reads the whole history in one query, or `undefined` when the table does
 * not exist yet (nothing applied). One extra catalog query checks the
 * columns, so a same-named table of another tool fails clearly.
 *
 * @throws TenonError `TENON_MIGRATE_HISTORY_INVALID`
 */
export async function readHistory(db: Database, t: HistoryTableName): Promise<HistoryRow[] | undefined> {
  const { rows } = await db.query<{ columns: string[] | null }>(
    'select array(select attname::text from pg_attribute where attrelid = c.oid and attnum > 0 and not attisdropped) as columns from (select to_regclass($1) as oid) c',
    [qualifiedHistoryName(t)],
  );
  const columns = rows[0]?.columns ?? [];
  if (columns.length === 0) return undefined;
  const missing = HISTORY_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new TenonError(
      'TENON_MIGRATE_HISTORY_INVALID',
      `${t.schema}.${t.table} exists but lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; it is not a tenon history table.`,
      {
        hint: 'Use another table with --table (migrate.table) or --schema, or rename the existing table.',
        details: { table: `${t.schema}.${t.table}`, missing, columns },
      },
    );
  }
  const result = await db.query<RawHistoryRow>(selectHistorySql(t));
  return result.rows.map((r) => ({
    version: r.version,
    name: r.name,
    checksum: r.checksum,
    state: r.state,
    statementsDone: Number(r.statements_done),
    statementsTotal: Number(r.statements_total),
    appliedAt: r.applied_at instanceof Date ? r.applied_at : new Date(r.applied_at),
    executionMs: Number(r.execution_ms),
    appliedBy: r.applied_by,
    error: r.error,
  }));
}
