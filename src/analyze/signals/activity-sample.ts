import type { Database } from '../../core/db/index.js';
import type { DbSignalPoint, LockBlocker } from '../../core/signals/server-signals.js';
import { num } from '../catalog/values.js';
import { TAG } from '../sql-text.js';

/** One reading of pg_stat_activity and pg_stat_database (cumulative counters as read). */
export interface ActivityRow {
  sessions: DbSignalPoint['sessions'];
  waitEvents: Record<string, number>;
  blockers: LockBlocker[];
  connections: DbSignalPoint['connections'];
  blksHit: number;
  blksRead: number;
  tempFiles: number;
  tempBytes: number;
  deadlocks: number;
}

/** Sessions of this database other than the sampler, grouped by state and wait event. */
const SESSIONS = `(select json_agg(json_build_object('state', state, 'type', wait_event_type, 'event', wait_event, 'n', n))
   from (select coalesce(state, '') as state, wait_event_type, wait_event, count(*) as n
         from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
         group by 1, 2, 3) s)`;

/*
 * Sessions blocking others, with their statement. pg_blocking_pids() takes
 * the lock manager's locks, so it runs only for sessions waiting on a lock
 * (offset 0 keeps the filter ahead of the function).
 */
const BLOCKERS = `(select json_agg(json_build_object('pid', b.pid, 'state', b.state, 'query', left(b.query, 4000),
     'blocked', w.n, 'blockedQuery', left(w.q, 4000), 'waitedMs', w.ms))
   from (select bp as pid, count(*) as n, min(s.query) as q,
           max(extract(epoch from clock_timestamp() - s.state_change) * 1000) as ms
         from (select pid, query, state_change from pg_stat_activity
               where wait_event_type = 'Lock' and datname = current_database() offset 0) s,
              unnest(pg_blocking_pids(s.pid)) as bp
         group by bp) w
   join pg_stat_activity b on b.pid = w.pid)`;

/**
 * The sampler's statement: one round trip. `pg_stat_activity.backend_type`
 * and the pg_stat_database columns read here exist on every supported
 * version (13–18). PGlite has one connection: only the database counters.
 */
export function activitySql(sessions: boolean): string {
  const server = sessions
    ? `${SESSIONS} as sessions, ${BLOCKERS} as blockers,
       (select count(*) from pg_stat_activity where backend_type = 'client backend') as server_connections,
       current_setting('max_connections')::int as max_connections,`
    : '';
  return `select ${TAG} ${server}
       d.blks_hit, d.blks_read, d.temp_files, d.temp_bytes, d.deadlocks
     from pg_stat_database d where d.datname = current_database()`;
}

interface SessionGroup {
  state: string;
  type: string | null;
  event: string | null;
  n: number;
}

const json = <T>(value: unknown): T[] =>
  value === null || value === undefined
    ? []
    : ((typeof value === 'string' ? JSON.parse(value) : value) as T[]);

/** Runs {@link activitySql} and shapes its row. */
export async function readActivity(db: Database, sql: string): Promise<ActivityRow> {
  const { rows } = await db.query<Record<string, unknown>>(sql);
  const r = rows[0] ?? {};
  const withSessions = 'sessions' in r;
  let sessions: DbSignalPoint['sessions'] = null;
  const waitEvents: Record<string, number> = {};
  if (withSessions) {
    sessions = { total: 0, active: 0, idle: 0, idleInTransaction: 0, waitingOnLock: 0 };
    for (const g of json<SessionGroup>(r.sessions)) {
      const n = num(g.n);
      sessions.total += n;
      if (g.state === 'active') {
        sessions.active += n;
        if (g.type === 'Lock') sessions.waitingOnLock += n;
        if (g.type) waitEvents[`${g.type}:${g.event}`] = (waitEvents[`${g.type}:${g.event}`] ?? 0) + n;
      } else if (g.state === 'idle') sessions.idle += n;
      else if (g.state.startsWith('idle in transaction')) sessions.idleInTransaction += n;
    }
  }
  const blockers = json<Record<string, unknown>>(r.blockers)
    .map((b) => ({
      pid: num(b.pid),
      state: (b.state as string | null) ?? null,
      query: String(b.query ?? ''),
      blocked: num(b.blocked),
      blockedQuery: String(b.blockedQuery ?? ''),
      waitedMs: Math.round(num(b.waitedMs)),
    }))
    .sort((a, b) => b.blocked - a.blocked);
  return {
    sessions,
    waitEvents,
    blockers,
    connections: withSessions ? { server: num(r.server_connections), max: num(r.max_connections) } : null,
    blksHit: num(r.blks_hit),
    blksRead: num(r.blks_read),
    tempFiles: num(r.temp_files),
    tempBytes: num(r.temp_bytes),
    deadlocks: num(r.deadlocks),
  };
}
