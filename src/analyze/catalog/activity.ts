import type { Database } from '../../core/db/index.js';
import { TAG } from '../sql-text.js';
import { num, textArray } from './values.js';

/** A session of this database other than tenon's own, from pg_stat_activity. */
export interface SessionInfo {
  pid: number;
  user: string | null;
  application: string | null;
  client: string | null;
  state: string | null;
  waitEventType: string | null;
  waitEvent: string | null;
  /** How long its transaction has been open (ms), or null outside a transaction. */
  transactionMs: number | null;
  /** How long its current (or last) statement has been running (ms). */
  queryMs: number | null;
  /** How long it has been in its current state (ms). */
  stateMs: number | null;
  query: string;
  /** Sessions holding the locks it waits for. */
  blockedBy: number[];
}

/** Connection counts against the limits that apply. */
export interface ConnectionUsage {
  /** Client sessions on the whole server. */
  total: number;
  /** max_connections minus the slots reserved for superusers. */
  available: number;
  /** Sessions of this database. */
  database: number;
  /** This database's CONNECTION LIMIT, or -1 when unlimited. */
  databaseLimit: number;
  byState: Record<string, number>;
}

/** Client sessions of the current database, except tenon's own connection. */
export async function loadSessions(db: Database): Promise<SessionInfo[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `select ${TAG} pid, usename as user_name, application_name, client_addr::text as client, state,
       wait_event_type, wait_event,
       extract(epoch from clock_timestamp() - xact_start) * 1000 as xact_ms,
       extract(epoch from clock_timestamp() - query_start) * 1000 as query_ms,
       extract(epoch from clock_timestamp() - state_change) * 1000 as state_ms,
       query, pg_blocking_pids(pid)::text as blocked_by
     from pg_stat_activity
     where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
       and query not like '%tenon:analyze%'`,
  );
  return rows.map((r) => ({
    pid: num(r.pid),
    user: (r.user_name as string | null) ?? null,
    application: (r.application_name as string | null) || null,
    client: (r.client as string | null) ?? null,
    state: (r.state as string | null) ?? null,
    waitEventType: (r.wait_event_type as string | null) ?? null,
    waitEvent: (r.wait_event as string | null) ?? null,
    transactionMs: r.xact_ms === null ? null : num(r.xact_ms),
    queryMs: r.query_ms === null ? null : num(r.query_ms),
    stateMs: r.state_ms === null ? null : num(r.state_ms),
    query: String(r.query ?? ''),
    blockedBy: textArray(r.blocked_by).map(Number),
  }));
}

/** How many connections are used, server-wide and for this database. */
export async function loadConnectionUsage(db: Database): Promise<ConnectionUsage> {
  const { rows } = await db.query<Record<string, unknown>>(
    `select ${TAG}
       (select count(*) from pg_stat_activity where backend_type = 'client backend') as total,
       current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int as available,
       (select count(*) from pg_stat_activity where backend_type = 'client backend'
          and datname = current_database()) as database,
       (select datconnlimit from pg_database where datname = current_database()) as database_limit`,
  );
  const states = await db.query<{ state: string | null; n: unknown }>(
    `select ${TAG} coalesce(state, 'unknown') as state, count(*) as n from pg_stat_activity
     where backend_type = 'client backend' and datname = current_database() group by 1`,
  );
  const r = rows[0]!;
  return {
    total: num(r.total),
    available: num(r.available),
    database: num(r.database),
    databaseLimit: num(r.database_limit),
    byState: Object.fromEntries(states.rows.map((s) => [s.state ?? 'unknown', num(s.n)])),
  };
}
