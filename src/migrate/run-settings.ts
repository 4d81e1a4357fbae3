import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../core/db/database.js';
import { deleteHistorySql, type HistoryTableName, insertHistorySql } from './history-table.js';
import type { MigrateEvent, MigrationResult } from './migrate-events.js';
import type { MigrationPlan, PlannedStatement } from './plan.js';

/** Everything a run needs besides the plan; built once per command by the Migrator. */
export interface RunSettings {
  /** The one session that holds the migration lock; every statement runs on it. */
  session: Database;
  history: HistoryTableName;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  lockRetries: number;
  /** SQL that cleans the session before each migration (`sessionResetSql`): a SET in one migration does not leak into the next. */
  resetSql: string;
  signal?: AbortSignal | undefined;
  /** The Migrator's `onEvent` (a no-op when none was given). */
  onEvent: (event: MigrateEvent) => void;
}

/** Where a non-transactional migration starts, when it resumes. */
export interface ApplyOptions {
  /** 1-based statement to start at (a dirty migration released by `repair --retry`). */
  resumeFrom?: number;
}

/** Jittered exponential backoff: ~250 ms, 500 ms, 1 s, … capped at 10 s. */
export function retryDelayMs(attempt: number): number {
  return Math.round(Math.min(250 * 2 ** (attempt - 1), 10_000) * (0.5 + Math.random()));
}

export function elapsed(start: number): number {
  return Math.round(performance.now() - start);
}

export function baseResult(plan: MigrationPlan): MigrationResult {
  return {
    version: plan.version,
    name: plan.name,
    file: plan.file,
    direction: plan.direction,
    status: plan.direction === 'up' ? 'applied' : 'reverted',
    transactional: plan.transactional,
    statements: plan.statements.length,
    executionMs: 0,
    retries: 0,
    notes: [...plan.notes],
  };
}

/** Milliseconds since the transaction began, computed by the server. */
export const ELAPSED_IN_TRANSACTION = '(extract(epoch from clock_timestamp() - now()) * 1000)::integer';

/**
 * Put before tenon's own history writes inside a migration's transaction:
 * they run as the user tenon connected as, whatever `SET ROLE` or `SET
 * SESSION AUTHORIZATION` the migration made (a migration that creates its
 * objects as the application's role must not need that role to have
 * rights on the history table). `LOCAL`, so what the migration set is in
 * force again once the transaction ends (a non-transactional migration's
 * next statement still runs as it asked).
 */
export const AS_RUNNER_SQL = 'set local session authorization default;\nset local role none';

/**
 * A history write between the statements of a non-transactional migration,
 * in a transaction of its own that is read-write, as the runner's user and
 * with no statement timeout, whatever the statements before it set for the
 * session (`SET ROLE app`, `default_transaction_read_only`, a short
 * `statement_timeout` through `set_config`), so the record of progress
 * cannot fail where the migration itself did not.
 */
export function outsideTransactionWriteSql(write: string): string {
  return `begin read write;\n${AS_RUNNER_SQL};\nset local statement_timeout = 0;\n${write};\ncommit`;
}

/** The history row of a migration run in a transaction, written last in that transaction (as the runner: {@link AS_RUNNER_SQL}). */
export function historyWriteSql(
  settings: RunSettings,
  plan: MigrationPlan,
  executionMs: number | string,
): string {
  if (plan.direction === 'down')
    return `${AS_RUNNER_SQL};\n${deleteHistorySql(settings.history, plan.version)}`;
  return (
    `${AS_RUNNER_SQL};\n` +
    insertHistorySql(settings.history, [
      {
        version: plan.version,
        name: plan.name,
        checksum: plan.checksum,
        state: 'applied',
        statementsDone: plan.statements.length,
        statementsTotal: plan.statements.length,
        executionMs,
      },
    ])
  );
}

export async function backoff(settings: RunSettings, plan: MigrationPlan, attempt: number, error: unknown) {
  const delayMs = retryDelayMs(attempt);
  settings.onEvent({
    type: 'retry',
    version: plan.version,
    file: plan.file,
    attempt,
    delayMs,
    message: (error as Error).message,
  });
  await sleep(delayMs);
}

export function emitStatement(settings: RunSettings, plan: MigrationPlan, statement: PlannedStatement): void {
  settings.onEvent({
    type: 'statement-start',
    version: plan.version,
    file: plan.file,
    index: statement.index,
    total: plan.statements.length,
    line: statement.line,
    sql: statement.sql,
  });
}
