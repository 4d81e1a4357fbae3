import type { Database } from '../../core/db/index.js';
import type { DbSignalPoint, LockBlocker, SessionCounts } from '../../core/signals/server-signals.js';
import { num } from '../catalog/values.js';
import { TAG } from '../sql-text.js';

/** One reading of pg_stat_activity and pg_stat_database (cumulative counters as read). */
export interface ActivityRow {
  sessions: SessionCounts | null;
  clients: (SessionCounts & { client: string })[];
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
const SESSIONS = `(select json_agg(json_build_object('client', client, 'state', state, 'type', wait_event_type,
     'event', wait_event, 'n', n))
   from (select concat_ws(' ', nullif(application_name, ''), usename, coalesce(client_addr::text, 'local')) as client,
           coalesce(state, '') as state, wait_event_type, wait_event, count(*) as n
         from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
         group by 1, 2, 3, 4) s)`;

/*
 * Sessions blocking others, with their statement. pg_blocking_pids() takes
 * the lock manager's locks, so it runs only for sessions waiting on a lock
 * (offset 0 keeps the filter ahead of the function).
 */
const BLOCKERS = `(select json_agg(json_build_object('pid', b.pid, 'state', b.state, 'query', left(b.query, 4000),
     'root', b.wait_event_type is distinct from 'Lock',
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
  client: string;
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
  const byClient = new Map<string, SessionCounts>();
  const waitEvents: Record<string, number> = {};
  const add = (c: SessionCounts, g: SessionGroup, n: number) => {
    c.total += n;
    if (g.state === 'active') {
      c.active += n;
      if (g.type === 'Lock') c.waitingOnLock += n;
    } else if (g.state === 'idle') c.idle += n;
    else if (g.state.startsWith('idle in transaction')) c.idleInTransaction += n;
  };
  const zero = (): SessionCounts => ({
    total: 0,
    active: 0,
    idle: 0,
    idleInTransaction: 0,
    waitingOnLock: 0,
  });
  if (withSessions) {
    sessions = zero();
    for (const g of json<SessionGroup>(r.sessions)) {
      const n = num(g.n);
      add(sessions, g, n);
      const client = byClient.get(g.client) ?? zero();
      byClient.set(g.client, client);
      add(client, g, n);
      if (g.state === 'active' && g.type)
        waitEvents[`${g.type}:${g.event}`] = (waitEvents[`${g.type}:${g.event}`] ?? 0) + n;
    }
  }
  const clients = [...byClient]
    .map(([client, c]) => ({ client, ...c }))
    .sort((a, b) => b.total - a.total)
    .slice(0, 5);
  const blockers = json<Record<string, unknown>>(r.blockers)
    .map((b) => ({
      pid: num(b.pid),
      state: (b.state as string | null) ?? null,
      query: String(b.query ?? ''),
      blocked: num(b.blocked),
      root: b.root !== false,
      blockedQuery: String(b.blockedQuery ?? ''),
      waitedMs: Math.round(num(b.waitedMs)),
    }))
    .sort((a, b) => b.blocked - a.blocked);
  return {
    sessions,
    clients,
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

const r2 = (v: number) => Math.round(v * 100) / 100;

function meanCounts(list: SessionCounts[], looks: number): SessionCounts {
  const sum = (key: keyof SessionCounts) => r2(list.reduce((s, c) => s + c[key], 0) / looks);
  return {
    total: sum('total'),
    active: sum('active'),
    idle: sum('idle'),
    idleInTransaction: sum('idleInTransaction'),
    waitingOnLock: sum('waitingOnLock'),
  };
}

/**
 * Folds the looks of one interval into its point: mean session counts
 * (per client too, with the share of looks in which a client had no idle
 * session), mean wait events, every blocker seen, the most connections.
 */
export function foldActivity(
  looks: readonly ActivityRow[],
): Pick<DbSignalPoint, 'sessions' | 'clients' | 'waitEvents' | 'blockers' | 'connections'> {
  const n = Math.max(1, looks.length);
  const withSessions = looks.filter((l) => l.sessions);
  const clients = new Map<string, { counts: SessionCounts[]; allBusy: number }>();
  for (const l of looks) {
    for (const c of l.clients) {
      const seen = clients.get(c.client) ?? { counts: [], allBusy: 0 };
      seen.counts.push(c);
      if (c.idle === 0 && c.total > 0) seen.allBusy++;
      clients.set(c.client, seen);
    }
  }
  const waitEvents: Record<string, number> = {};
  for (const l of looks)
    for (const [k, v] of Object.entries(l.waitEvents)) waitEvents[k] = (waitEvents[k] ?? 0) + v / n;
  const blockers = new Map<string, LockBlocker>();
  for (const l of looks) {
    for (const b of l.blockers) {
      const key = `${b.pid}\u0000${b.query}`;
      const prev = blockers.get(key);
      blockers.set(key, {
        ...b,
        blocked: Math.max(b.blocked, prev?.blocked ?? 0),
        waitedMs: Math.max(b.waitedMs, prev?.waitedMs ?? 0),
        root: b.root && (prev?.root ?? true),
      });
    }
  }
  const connections = looks
    .map((l) => l.connections)
    .filter((c) => c !== null)
    .sort((a, b) => b.server - a.server)[0];
  return {
    sessions: withSessions.length
      ? meanCounts(
          withSessions.map((l) => l.sessions!),
          withSessions.length,
        )
      : null,
    clients: [...clients]
      .map(([client, c]) => ({ client, ...meanCounts(c.counts, n), allBusy: r2(c.allBusy / n) }))
      .sort((a, b) => b.total - a.total)
      .slice(0, 5),
    waitEvents: Object.fromEntries(Object.entries(waitEvents).map(([k, v]) => [k, r2(v)])),
    blockers: [...blockers.values()].sort((a, b) => b.blocked - a.blocked),
    connections: connections ?? null,
  };
}
