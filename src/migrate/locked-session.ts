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
    await session.query(`select set_config('application_name', $1, false)`, [applicationName]);
    if (server && db.serverVersion >= 140000)
      await session.exec(`set client_connection_check_interval = '1s'`);
    const key = await lockKeyOf(session, options);
    const waitedMs = await acquireMigrationLock(session, key, {
      waitMs: options.lockWait,
      signal: options.signal,
      label: `${options.schema}.${options.table}`,
      onWait: (holder) => emit({ type: 'lock-wait', key, holder }),
    });
    emit({ type: 'lock-acquired', key, waitedMs });
    const resetSql = sessionResetSql({ kind: db.kind, serverVersion: db.serverVersion, applicationName });
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
      // What the last migration SET does not outlive the run (a `db` given by the caller goes back to its pool).
      await session.exec(resetSql).catch(() => undefined);
      await releaseMigrationLock(session, key);
      if (options.db) {
        await session.exec('reset application_name').catch(() => undefined);
        if (server && db.serverVersion >= 140000) {
          await session.exec('reset client_connection_check_interval').catch(() => undefined);
        }
      }
    }
  });
}
