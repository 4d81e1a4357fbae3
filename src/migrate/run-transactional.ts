import { TenonError } from '../core/errors.js';
import { quoteMilliseconds } from '../core/sql/quote.js';
import { findLockBlockers } from './catalog-checks.js';
import { isLockTimeout, lockRetriesExhaustedError, statementFailedError } from './migrate-errors.js';
import type { MigrationResult } from './migrate-events.js';
import { type MigrationPlan, type PlannedStatement, relationsOf } from './plan.js';
import {
  backoff,
  baseResult,
  ELAPSED_IN_TRANSACTION,
  elapsed,
  emitStatement,
  historyWriteSql,
  type RunSettings,
} from './run-settings.js';

/** Why an attempt failed, after its transaction was rolled back. */
interface AttemptFailure {
  error: unknown;
  /** The statement that failed, `commit`, or undefined when a one-round-trip attempt cannot tell. */
  statement: PlannedStatement | 'commit' | undefined;
  /** PostgreSQL's error position relative to that statement's SQL. */
  position?: number | undefined;
}

/**
 * A clean session, then BEGIN and the timeouts (every attempt, so a retry
 * starts clean too). The reset comes BEFORE the transaction and is committed
 * on its own: a transaction takes its read-only, isolation and deferrable
 * modes from the `default_transaction_*` settings when it starts, so a
 * reset inside it (or in the same implicit transaction of this one-trip
 * script) would leave the previous migration's `SET
 * default_transaction_read_only = on` deciding this one's mode. The
 * advisory lock is session-level: the COMMIT keeps it.
 */
function timeoutsSql(settings: RunSettings): string {
  return `${settings.resetSql};\ncommit;\nbegin;\nset local lock_timeout = ${quoteMilliseconds(settings.lockTimeoutMs)}; set local statement_timeout = ${quoteMilliseconds(settings.statementTimeoutMs)};\n`;
}

function errorPosition(error: unknown): number | undefined {
  return error instanceof TenonError ? (error.details.position as number | undefined) : undefined;
}

/**
 * The whole migration as ONE simple-protocol script: BEGIN, timeouts, every
 * statement, the history row, COMMIT: one round trip per migration, not one
 * per statement (bench/migrate.ts: the server's DDL and commit dominate small
 * migrations, so this matters most for files of many small statements).
 * Statements are joined with a newline
 * before the semicolon so a trailing `--` comment cannot swallow it. When
 * PostgreSQL reports an error position, it points into the script, which
 * names the statement; otherwise the caller runs the migration again
 * statement by statement to find it.
 */
async function attemptInOneTrip(
  settings: RunSettings,
  plan: MigrationPlan,
): Promise<number | AttemptFailure> {
  const started = performance.now();
  let script = timeoutsSql(settings);
  const offsets: number[] = [];
  for (const statement of plan.statements) {
    offsets.push(script.length);
    script += `${statement.sql}\n;\n`;
  }
  for (const statement of plan.statements) emitStatement(settings, plan, statement);
  try {
    // The database measures the run: now() is the transaction's start, clock_timestamp() the present.
    await settings.session.exec(
      `${script}${historyWriteSql(settings, plan, ELAPSED_IN_TRANSACTION)};\ncommit`,
    );
    return elapsed(started);
  } catch (error) {
    await settings.session.exec('rollback').catch(() => undefined);
    const position = errorPosition(error);
    // No position, or one inside the history row / COMMIT part: the caller finds the statement.
    if (position === undefined || position > script.length) return { error, statement: undefined };
    const index = offsets.findLastIndex((offset) => offset < position);
    const statement = plan.statements[index];
    return statement
      ? { error, statement, position: position - offsets[index]! }
      : { error, statement: undefined };
  }
}

/** Statement by statement in one transaction: BEGIN and timeouts go with the first statement, the history row with COMMIT. */
async function attemptStepwise(settings: RunSettings, plan: MigrationPlan): Promise<number | AttemptFailure> {
  const { session } = settings;
  const prefix = timeoutsSql(settings);
  const started = performance.now();
  let current: PlannedStatement | 'commit' | undefined;
  try {
    if (plan.statements.length === 0) await session.exec(prefix);
    for (const statement of plan.statements) {
      current = statement;
      emitStatement(settings, plan, statement);
      await session.exec(statement === plan.statements[0] ? prefix + statement.sql : statement.sql);
    }
    current = 'commit';
    const ms = elapsed(started);
    await session.exec(`${historyWriteSql(settings, plan, ms)};\ncommit`);
    return ms;
  } catch (error) {
    await session.exec('rollback').catch(() => undefined);
    const position = errorPosition(error);
    return {
      error,
      statement: current ?? plan.statements[0] ?? 'commit',
      // The first statement was sent after the BEGIN prefix; PostgreSQL counts from the prefix.
      position:
        position !== undefined && current !== 'commit' && current === plan.statements[0]
          ? position - prefix.length
          : position,
    };
  }
}

/**
 * One transaction per migration, its history row included, so either all
 * of it is applied and recorded or none. The first attempt is one round
 * trip (unless a statement_timeout is set: then statements go one by one,
 * so a timeout names its statement). After a failure it continues statement
 * by statement: a lock_timeout is retried with backoff, and an error whose
 * statement is unknown is run once more to find it.
 */
export async function runTransactional(settings: RunSettings, plan: MigrationPlan): Promise<MigrationResult> {
  const result = baseResult(plan);
  let oneTrip = settings.statementTimeoutMs === 0 && plan.statements.length > 0;
  let retries = 0;
  for (let attempt = 1; ; attempt++) {
    const outcome = oneTrip ? await attemptInOneTrip(settings, plan) : await attemptStepwise(settings, plan);
    if (typeof outcome === 'number') {
      result.executionMs = outcome;
      result.retries = retries;
      return result;
    }
    const located = !oneTrip;
    oneTrip = false;
    const statement = outcome.statement === 'commit' ? undefined : outcome.statement;
    if (isLockTimeout(outcome.error)) {
      if (attempt <= settings.lockRetries && !settings.signal?.aborted) {
        retries++;
        await backoff(settings, plan, attempt, outcome.error);
        continue;
      }
      const relations = statement ? relationsOf(statement) : plan.statements.flatMap(relationsOf);
      const blockers = await findLockBlockers(settings.session, relations).catch(() => []);
      throw lockRetriesExhaustedError(
        plan,
        statement,
        outcome.error,
        attempt,
        settings.lockTimeoutMs,
        blockers,
        true,
      );
    }
    if (outcome.statement === undefined && !located) {
      // A one-round-trip attempt failed without saying where: once more, statement by statement.
      result.notes.push(
        `the first attempt failed (${(outcome.error as Error).message}); it was run again statement by statement`,
      );
      attempt--;
      continue;
    }
    throw statementFailedError(plan, outcome.statement ?? 'commit', outcome.error, {
      rolledBack: true,
      position: outcome.position,
    });
  }
}
