import type { Database } from '../core/db/database.js';
import { acquireMigrationLock, migrationLockKey, releaseMigrationLock } from './advisory-lock.js';
import type { MigrateEvent } from './migrate-events.js';
import type { MigrationSource } from './migration-files.js';
import type { RunSettings } from './migration-runner.js';
import type { ResolvedMigratorOptions } from './migrator-options.js';
import type { LockedContext } from './run-up.js';
import { sessionResetSql } from './session-reset.js';

/** The advisory lock key of the history table `options` name, in `db`'s current database. */
export async function lockKeyOf(
  db: Database,
  options: Pick<ResolvedMigratorOptions, 'schema' | 'table'>,
): Promise<string> {
  const { rows } = await db.query<{ name: string }>('select current_database() as name');
  return migrationLockKey(rows[0]?.name ?? '', options.schema, options.table);
}

/**
 * Runs `fn` on one dedicated session holding the migration lock. The
 * session names itself in pg_stat_activity, and on PostgreSQL 14+ checks
 * its client every second, so a runner killed mid-statement (kill -9)
 * has its statement cancelled, its transaction rolled back and its lock
 * released at once instead of when the statement ends.
 */
export async function withMigrationLock<T>(
  db: Database,
  options: ResolvedMigratorOptions,
  files: MigrationSource[],
  emit: (event: MigrateEvent) => void,
  fn: (ctx: LockedContext, key: string) => Promise<T>,
): Promise<T> {
  const applicationName = `tenon migrate (pid ${process.pid})`;
  return db.withSession(async (session) => {
    const server = db.kind === 'postgres';
    const checksClient = server && db.serverVersion >= 140000;
    // The session's name, its client check and the database's name (for the lock key) in one round
    // trip: every one before the lock is taken is on the critical path of `up` (docs/migrate.md#performance).
    const { rows } = await session.query<{ name: string }>(
      `select set_config('application_name', $1, false)${checksClient ? `, set_config('client_connection_check_interval', '1s', false)` : ''}, current_database() as name`,
      [applicationName],
    );
    const key = migrationLockKey(rows[0]?.name ?? '', options.schema, options.table);
    const waitedMs = await acquireMigrationLock(session, key, {
      waitMs: options.lockWait,
      signal: options.signal,
      label: `${options.schema}.${options.table}`,
      onWait: (holder) => emit({ type: 'lock-wait', key, holder }),
    });
    emit({ type: 'lock-acquired', key, waitedMs });
    const resetSql = sessionResetSql({
      kind: db.kind,
      serverVersion: db.serverVersion,
      applicationName,
      ownConnection: !options.db,
    });
    const settings: RunSettings = {
      session,
      resetSql,
      history: { schema: options.schema, table: options.table },
      lockTimeoutMs: options.lockTimeout,
      statementTimeoutMs: options.statementTimeout,
      lockRetries: options.lockRetries,
      signal: options.signal,
      onEvent: emit,
    };
    try {
      return await fn(
        {
          settings,
          kind: db.kind,
          serverVersion: db.serverVersion,
          files,
          allowOutOfOrder: options.allowOutOfOrder,
          maxMissing: options.maxMissing,
          allowMissing: options.allowMissing,
        },
        key,
      );
    } finally {
      // What the last migration SET does not outlive the run, and the lock released, in one round trip
      // (should the reset fail, the lock is released alone). A `db` given by the caller goes back to its
      // pool without tenon's session settings.
      const restore = options.db
        ? `;\nreset application_name${checksClient ? ';\nreset client_connection_check_interval' : ''}`
        : '';
      const released = await session
        .exec(`${resetSql};\nselect pg_advisory_unlock(${BigInt(key)}::bigint)${restore}`)
        .then(() => true)
        .catch(() => false);
      if (!released) {
        await releaseMigrationLock(session, key);
        if (options.db) {
          await session.exec('reset application_name').catch(() => undefined);
          if (checksClient)
            await session.exec('reset client_connection_check_interval').catch(() => undefined);
        }
      }
    }
  });
}
