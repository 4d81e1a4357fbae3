import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../core/db/database.js';
import { locksOf, type ObservedLock } from './trace-catalog.js';

/** What a second session saw of the traced backend's locks while one statement ran. */
export interface Observation {
  locks: ObservedLock[];
  /** How many times pg_locks was read. */
  samples: number;
  /** Wait events seen (`Lock:relation`, `IPC:…`), for statements that had to wait. */
  waits: string[];
}

/** How long a gate stays closed when the statement never asks for a gated relation. */
const GATE_MS = 500;

/**
 * Takes SHARE UPDATE EXCLUSIVE on `relations` in an open transaction on the
 * observer, so a statement that runs outside a transaction and needs SHARE
 * UPDATE EXCLUSIVE or stronger on them (VACUUM, VACUUM FULL, CREATE INDEX
 * CONCURRENTLY, REINDEX CONCURRENTLY) queues behind it: its request is then in
 * pg_locks however briefly it would have held the lock, and no sampling
 * interval can miss it. Returns the OIDs gated; empty (and no transaction
 * left open) when a relation cannot be locked at once.
 */
async function closeGate(observer: Database, relations: readonly string[]): Promise<Set<string>> {
  if (relations.length === 0) return new Set();
  try {
    await observer.exec('BEGIN');
    await observer.exec(`LOCK TABLE ${relations.join(', ')} IN SHARE UPDATE EXCLUSIVE MODE NOWAIT`);
    const { rows } = await observer.query<{ oid: string }>(
      'select c.oid::text as oid from pg_class c where c.oid = any($1::regclass[])',
      [relations],
    );
    return new Set(rows.map((r) => r.oid));
  } catch {
    await observer.exec('ROLLBACK').catch(() => undefined);
    return new Set();
  }
}

/**
 * Watches the locks of backend `pid` from a second session (`observer`)
 * while `run` executes on the first: pg_locks is read as fast as the round
 * trip allows (with 2 ms pauses), so locks a statement takes and releases
 * before it ends — a concurrent index build's, a VACUUM's — are seen too.
 * Locks held for less than a sample interval can be missed, except on the
 * relations in `gate` (see {@link closeGate}); locks still held at the end
 * are read again by the caller from the traced session.
 */
export async function observeLocks<T>(
  observer: Database,
  pid: number,
  run: () => Promise<T>,
  gate: readonly string[] = [],
): Promise<{ result: T | undefined; error: unknown; observation: Observation }> {
  const seen = new Map<string, ObservedLock>();
  const waits = new Set<string>();
  let samples = 0;
  let done = false;
  const gated = await closeGate(observer, gate);
  const gateOpened = Date.now() + GATE_MS;
  const poll = (async () => {
    while (!done) {
      if (gated.size > 0) {
        // The statement queued behind the gate: its request is in pg_locks, not granted.
        // Record what it asked for as granted (the wait was ours, not the migration's) and let it go.
        const queued = await locksOf(observer, pid).catch(() => []);
        const behindGate = queued.filter((l) => !l.granted && l.oid !== undefined && gated.has(l.oid));
        for (const lock of behindGate) seen.set(`${lock.target}|${lock.mode}`, { ...lock, granted: true });
        if (behindGate.length > 0 || Date.now() > gateOpened || done) {
          gated.clear();
          await observer.exec('COMMIT').catch(() => undefined);
        } else {
          await sleep(1);
        }
        continue;
      }
      const [locks, activity] = await Promise.all([
        locksOf(observer, pid),
        observer.query<{ wait: string | null }>(
          `select wait_event_type || ':' || wait_event as wait from pg_stat_activity where pid = $1`,
          [pid],
        ),
      ]).catch(() => [[], { rows: [] }] as const);
      samples += 1;
      for (const lock of locks) {
        const key = `${lock.target}|${lock.mode}`;
        const known = seen.get(key);
        // A lock seen waiting and later granted counts as granted, but remembers it waited.
        if (!known) seen.set(key, lock);
        else if (lock.granted && !known.granted) seen.set(key, { ...lock, granted: false });
      }
      const wait = activity.rows[0]?.wait;
      if (wait && !wait.startsWith('Client:')) waits.add(wait);
      if (!done) await sleep(2);
    }
  })();
  let result: T | undefined;
  let error: unknown;
  try {
    result = await run();
  } catch (e) {
    error = e;
  } finally {
    done = true;
    await poll;
    if (gated.size > 0) await observer.exec('COMMIT').catch(() => undefined);
  }
  return { result, error, observation: { locks: [...seen.values()], samples, waits: [...waits] } };
}
