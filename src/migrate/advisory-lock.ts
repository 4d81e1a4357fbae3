import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../core/db/database.js';
import { formatDuration } from '../core/duration.js';
import { TenonError } from '../core/errors.js';

/**
 * The key of the session-level advisory lock that serializes migration
 * runners: the first 8 bytes of SHA-256 over database, schema and table,
 * read as a signed 64-bit integer (what `pg_advisory_lock(bigint)` takes).
 * Two history tables never share a key; two runners on one table always do.
 *
 * @returns the key as a decimal string (it does not fit a JS number).
 */
export function migrationLockKey(database: string, schema: string, table: string): string {
  const digest = createHash('sha256').update(`tenon migrate\0${database}\0${schema}\0${table}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/** The session holding the migration lock, from pg_locks and pg_stat_activity. */
export interface LockHolder {
  pid: number;
  applicationName: string;
  clientAddr: string | null;
  user: string | null;
  backendStart: Date | null;
  /** When the holder's state last changed (e.g. when its current statement started). */
  stateChange: Date | null;
  state: string | null;
  query: string | null;
}

// A bigint advisory key shows in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
const HOLDER_SQL = `select l.pid, a.application_name, host(a.client_addr) as client_addr, a.usename::text as user,
       a.backend_start, a.state_change, a.state, a.query
  from pg_locks l left join pg_stat_activity a on a.pid = l.pid
 where l.locktype = 'advisory' and l.granted and l.objsubid = 1
   and l.database = (select oid from pg_database where datname = current_database())
   and l.classid = ((($1::bigint) >> 32) & 4294967295)::oid
   and l.objid = (($1::bigint) & 4294967295)::oid
 limit 1`;

/** Who holds the migration lock now, if anyone (never this session). */
export async function findLockHolder(db: Database, key: string): Promise<LockHolder | undefined> {
  const { rows } = await db.query<{
    pid: number;
    application_name: string | null;
    client_addr: string | null;
    user: string | null;
    backend_start: Date | null;
    state_change: Date | null;
    state: string | null;
    query: string | null;
  }>(HOLDER_SQL, [key]);
  const row = rows[0];
  if (!row) return undefined;
  return {
    pid: Number(row.pid),
    applicationName: row.application_name ?? '',
    clientAddr: row.client_addr,
    user: row.user,
    backendStart: row.backend_start,
    stateChange: row.state_change,
    state: row.state,
    query: row.query,
  };
}

/** `pid 4242 "tenon migrate (pid 77)" from 10.0.0.5, connected since 2026-…, active since …`. */
export function describeLockHolder(holder: LockHolder, now: Date = new Date()): string {
  const parts = [`pid ${holder.pid}`];
  if (holder.applicationName) parts.push(`"${holder.applicationName}"`);
  if (holder.user) parts.push(`user ${holder.user}`);
  parts.push(holder.clientAddr ? `from ${holder.clientAddr}` : 'over a local socket');
  if (holder.backendStart) {
    parts.push(
      `connected since ${holder.backendStart.toISOString()} (${formatDuration(now.getTime() - holder.backendStart.getTime())} ago)`,
    );
  }
  if (holder.state && holder.stateChange) {
    parts.push(`${holder.state} since ${holder.stateChange.toISOString()}`);
  }
  return parts.join(', ');
}

/** Options of {@link acquireMigrationLock}. */
export interface AcquireLockOptions {
  /** Give up after this long (ms). */
  waitMs: number;
  signal?: AbortSignal | undefined;
  /** Called once when the lock is busy, with its holder. */
  onWait?: (holder: LockHolder | undefined) => void;
  /** What the lock protects, for the error message. */
  label: string;
}

/**
 * Takes the session-level migration lock on `session`, polling
 * `pg_try_advisory_lock` with jittered, growing pauses until `waitMs`
 * passes. Never calls the blocking `pg_advisory_lock`: a backend blocked in
 * it keeps a snapshot open, and a `CREATE INDEX CONCURRENTLY` run by the
 * lock holder waits for every such snapshot, so the two runners would
 * deadlock (the failure Flyway, golang-migrate and others hit). Between
 * polls this session has no transaction open.
 *
 * @returns how long it waited, in ms.
 * @throws TenonError `TENON_MIGRATE_LOCK_TIMEOUT` naming the holder.
 */
export async function acquireMigrationLock(
  session: Database,
  key: string,
  options: AcquireLockOptions,
): Promise<number> {
  const started = Date.now();
  let pause = 25;
  let reported = false;
  for (;;) {
    const { rows } = await session.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [
      key,
    ]);
    if (rows[0]?.ok) return Date.now() - started;
    const waited = Date.now() - started;
    if (!reported) {
      reported = true;
      options.onWait?.(await findLockHolder(session, key));
    }
    if (waited >= options.waitMs) {
      const holder = await findLockHolder(session, key);
      throw new TenonError(
        'TENON_MIGRATE_LOCK_TIMEOUT',
        `Another runner held the migration lock on ${options.label} for more than ${formatDuration(options.waitMs)}: ${holder ? describeLockHolder(holder) : 'the holder ended just now'}.`,
        {
          hint: holder
            ? `Wait for it to finish (tenon migrate status shows the lock), raise --lock-wait, or if it is stuck end it with: select pg_terminate_backend(${holder.pid});`
            : 'Run the command again.',
          details: { lockKey: key, waitedMs: waited, ...(holder ? { holder } : {}) },
        },
      );
    }
    if (options.signal?.aborted) {
      throw new TenonError('TENON_INTERRUPTED', 'Interrupted while waiting for the migration lock.');
    }
    // Jitter keeps a crowd of runners from polling in lockstep.
    const delay = Math.min(pause * (0.5 + Math.random()), options.waitMs - waited);
    await sleep(Math.max(1, delay));
    pause = Math.min(pause * 1.6, 1000);
  }
}

/** Releases the lock; a session that is already gone has released it anyway. */
export async function releaseMigrationLock(session: Database, key: string): Promise<void> {
  await session.query('select pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
}
