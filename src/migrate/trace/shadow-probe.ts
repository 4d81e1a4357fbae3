import type { Database } from '../../core/db/database.js';

/** How many times the reference statement runs; the slowest counts. */
const PROBES = 3;

/**
 * Times a reference statement on the shadow, in the traced session: a small
 * catalog change (a temporary table with a primary key) rolled back at
 * once, so it leaves nothing behind and releases its locks. It costs what a
 * DDL statement on an empty table costs on this machine right now, load
 * included; a traced statement is slow "in the shadow" only when it took
 * many times longer (see `traceFindings`). The slowest of three runs
 * counts, so a burst of load during the statement is likely to show in the
 * reference too. Returns undefined when the reference cannot run (a role
 * without TEMP privilege).
 */
export async function probeShadow(session: Database, inTransaction: boolean): Promise<number | undefined> {
  let slowest = 0;
  for (let i = 0; i < PROBES; i++) {
    await session.exec(inTransaction ? 'SAVEPOINT tenon_trace_probe' : 'BEGIN');
    const started = performance.now();
    try {
      await session.exec('create temporary table tenon_trace_probe (id int primary key, note text)');
      slowest = Math.max(slowest, performance.now() - started);
    } catch {
      return undefined;
    } finally {
      await session.exec(
        inTransaction
          ? 'ROLLBACK TO SAVEPOINT tenon_trace_probe; RELEASE SAVEPOINT tenon_trace_probe'
          : 'ROLLBACK',
      );
    }
  }
  return Math.round(slowest * 10) / 10;
}
