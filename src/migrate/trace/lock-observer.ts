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

/**
 * Watches the locks of backend `pid` from a second session (`observer`)
 * while `run` executes on the first: pg_locks is read as fast as the round
 * trip allows (with 2 ms pauses), so locks a statement takes and releases
 * before it ends — a concurrent index build's, a VACUUM's — are seen too.
 * Locks held for less than a sample interval can be missed; locks still
 * held at the end are read again by the caller from the traced session.
 */
export async function observeLocks<T>(
  observer: Database,
  pid: number,
  run: () => Promise<T>,
): Promise<{ result: T | undefined; error: unknown; observation: Observation }> {
  const seen = new Map<string, ObservedLock>();
  const waits = new Set<string>();
  let samples = 0;
  let done = false;
  const poll = (async () => {
    while (!done) {
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
  }
  return { result, error, observation: { locks: [...seen.values()], samples, waits: [...waits] } };
}
