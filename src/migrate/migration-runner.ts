import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../core/db/database.js';
import { TenonError } from '../core/errors.js';
import { findInvalidIndexes, findLockBlockers, type InvalidIndex } from './catalog-checks.js';
import {
  deleteHistorySql,
  type HistoryTableName,
  insertHistorySql,
  updateHistorySql,
} from './history-table.js';
import { isLockTimeout, lockRetriesExhaustedError, statementFailedError } from './migrate-errors.js';
import type { MigrationResult, MigratorEvents } from './migrate-events.js';
import { DOWN_ERROR_PREFIX } from './migration-state.js';
import type { MigrationPlan, PlannedStatement } from './plan.js';
import { quoteLiteral, quoteMilliseconds } from './sql-quote.js';

/** Everything a run needs besides the plan; built once per command by the Migrator. */
export interface RunSettings {
  /** The one session that holds the migration lock; every statement runs on it. */
  session: Database;
  history: HistoryTableName;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  lockRetries: number;
  signal?: AbortSignal | undefined;
  emit: <K extends keyof MigratorEvents>(event: K, ...args: MigratorEvents[K]) => void;
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

function elapsed(start: number): number {
  return Math.round(performance.now() - start);
}

function baseResult(plan: MigrationPlan): MigrationResult {
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

/** Runs one migration (up or down) and records it; throws a TenonError naming the failed statement. */
export async function runPlan(
  settings: RunSettings,
  plan: MigrationPlan,
  options: ApplyOptions = {},
): Promise<MigrationResult> {
  settings.emit('migration-start', {
    version: plan.version,
    name: plan.name,
    file: plan.file,
    direction: plan.direction,
    transactional: plan.transactional,
    statements: plan.statements.length,
    dryRun: false,
  });
  const result = plan.transactional
    ? await runTransactional(settings, plan)
    : await runStatementByStatement(settings, plan, options.resumeFrom);
  settings.emit('migration-done', result);
  return result;
}

/** Milliseconds since the transaction began, computed by the server. */
const ELAPSED_IN_TRANSACTION = '(extract(epoch from clock_timestamp() - now()) * 1000)::integer';

function historyWriteSql(settings: RunSettings, plan: MigrationPlan, executionMs: number | string): string {
  if (plan.direction === 'down') return deleteHistorySql(settings.history, plan.version);
  return insertHistorySql(settings.history, [
    {
      version: plan.version,
      name: plan.name,
      checksum: plan.checksum,
      state: 'applied',
      statementsDone: plan.statements.length,
      statementsTotal: plan.statements.length,
      executionMs,
    },
  ]);
}

/** Why an attempt failed, after its transaction was rolled back. */
interface AttemptFailure {
  error: unknown;
  /** The statement that failed, `commit`, or undefined when a one-round-trip attempt cannot tell. */
  statement: PlannedStatement | 'commit' | undefined;
  /** PostgreSQL's error position relative to that statement's SQL. */
  position?: number | undefined;
}

function timeoutsSql(settings: RunSettings): string {
  return `begin; set local lock_timeout = ${quoteMilliseconds(settings.lockTimeoutMs)}; set local statement_timeout = ${quoteMilliseconds(settings.statementTimeoutMs)};\n`;
}

function errorPosition(error: unknown): number | undefined {
  return error instanceof TenonError ? (error.details.position as number | undefined) : undefined;
}

/**
 * The whole migration as ONE simple-protocol script: BEGIN, timeouts, every
 * statement, the history row, COMMIT. One round trip instead of one per
 * statement; on a busy two-core machine each round trip costs about half a
 * millisecond of context switches. Statements are joined with a newline
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
    if (position === undefined) return { error, statement: undefined };
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
      await session.exec(statement.index === 1 ? prefix + statement.sql : statement.sql);
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
        position !== undefined && current !== 'commit' && current?.index === 1
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
async function runTransactional(settings: RunSettings, plan: MigrationPlan): Promise<MigrationResult> {
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
      const relations = statement?.relations ?? plan.statements.flatMap((s) => s.relations);
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

async function backoff(settings: RunSettings, plan: MigrationPlan, attempt: number, error: unknown) {
  const delayMs = retryDelayMs(attempt);
  settings.emit('retry', {
    version: plan.version,
    file: plan.file,
    attempt,
    delayMs,
    message: (error as Error).message,
  });
  await sleep(delayMs);
}

function emitStatement(settings: RunSettings, plan: MigrationPlan, statement: PlannedStatement): void {
  settings.emit('statement-start', {
    version: plan.version,
    file: plan.file,
    index: statement.index,
    total: plan.statements.length,
    line: statement.line,
    sql: statement.sql,
  });
}

/**
 * Outside a transaction: the history row is written dirty before the first
 * statement and advanced after each one, with an `error` that says which
 * statement was running, so a runner killed mid-statement leaves an honest
 * record. Lock timeouts are retried per statement, unless the failed
 * attempt left an invalid index behind (running it again would fail on the
 * name, or worse, skip with IF NOT EXISTS).
 */
async function runStatementByStatement(
  settings: RunSettings,
  plan: MigrationPlan,
  resumeFrom: number | undefined,
): Promise<MigrationResult> {
  const { session, history } = settings;
  const result = baseResult(plan);
  if (resumeFrom !== undefined) {
    result.resumedAt = resumeFrom;
    result.notes.push(`resumed at statement ${resumeFrom} (released by repair --retry)`);
  }
  const total = plan.statements.length;
  const down = plan.direction === 'down';
  const tag = down ? DOWN_ERROR_PREFIX : '';
  const started = performance.now();
  let rowExists = down || resumeFrom !== undefined;
  // Invalid indexes that exist already, so a failure reports (and refuses to retry past) only new ones.
  const before = await findInvalidIndexes(session);
  for (const statement of plan.statements.slice((resumeFrom ?? 1) - 1)) {
    const k = statement.index;
    if (settings.signal?.aborted && rowExists) {
      const message = `${tag}interrupted before statement ${k} of ${total}`;
      await session.exec(
        updateHistorySql(history, plan.version, {
          state: "'dirty'",
          ...(down ? {} : { statements_done: String(k - 1) }),
          error: quoteLiteral(message),
        }),
      );
      throw interrupted(plan, statement);
    }
    if (settings.signal?.aborted) throw interrupted(plan, statement);
    const marker = `${tag}statement ${k} of ${total} did not finish: the runner stopped while running it`;
    const progress = rowExists
      ? updateHistorySql(history, plan.version, {
          state: "'dirty'",
          ...(down ? {} : { statements_done: String(k - 1), statements_total: String(total) }),
          error: quoteLiteral(marker),
        })
      : insertHistorySql(history, [
          {
            version: plan.version,
            name: plan.name,
            checksum: plan.checksum,
            state: 'dirty',
            statementsDone: k - 1,
            statementsTotal: total,
            executionMs: 0,
            error: marker,
          },
        ]);
    rowExists = true;
    // A concurrent build waits for older transactions by design and blocks no reader
    // or writer, so lock_timeout would only kill it half-built (an invalid index).
    const lockTimeout = statement.concurrently ? 0 : settings.lockTimeoutMs;
    await session.exec(
      `${progress};\nset lock_timeout = ${quoteMilliseconds(lockTimeout)};\nset statement_timeout = ${quoteMilliseconds(settings.statementTimeoutMs)}`,
    );
    emitStatement(settings, plan, statement);
    for (let attempt = 1; ; attempt++) {
      try {
        await session.exec(statement.sql);
        break;
      } catch (error) {
        const invalid = await findInvalidIndexes(session).catch((): InvalidIndex[] => []);
        const leftBehind = invalid.filter(
          (i) => !before.some((b) => b.schema === i.schema && b.name === i.name),
        );
        if (isLockTimeout(error) && leftBehind.length === 0 && attempt <= settings.lockRetries) {
          result.retries++;
          await backoff(settings, plan, attempt, error);
          continue;
        }
        const message = `${tag}statement ${k} of ${total} failed: ${(error as Error).message}`;
        await session
          .exec(
            `${updateHistorySql(history, plan.version, { error: quoteLiteral(message) })};\nreset lock_timeout;\nreset statement_timeout`,
          )
          .catch(() => undefined);
        if (isLockTimeout(error) && leftBehind.length === 0) {
          const blockers = await findLockBlockers(session, statement.relations).catch(() => []);
          throw lockRetriesExhaustedError(plan, statement, error, attempt, lockTimeout, blockers, false);
        }
        throw statementFailedError(plan, statement, error, { rolledBack: false, invalidIndexes: leftBehind });
      }
    }
  }
  const ms = elapsed(started);
  const finish = down
    ? deleteHistorySql(history, plan.version)
    : rowExists
      ? updateHistorySql(history, plan.version, {
          state: "'applied'",
          statements_done: String(total),
          statements_total: String(total),
          error: 'null',
          checksum: quoteLiteral(plan.checksum),
          name: quoteLiteral(plan.name),
          execution_ms: String(ms),
          applied_at: 'now()',
        })
      : historyWriteSql(settings, plan, ms);
  await session.exec(`${finish};\nreset lock_timeout;\nreset statement_timeout`);
  result.executionMs = ms;
  return result;
}

function interrupted(plan: MigrationPlan, statement: PlannedStatement): TenonError {
  const dirty = statement.index > 1 || plan.direction === 'down';
  const hint =
    plan.direction === 'down'
      ? 'Finish or undo the rollback by hand, then run `tenon migrate repair --forget` (rolled back) or `--applied` (in place).'
      : 'Run `tenon migrate repair --retry`, then `tenon migrate up` to continue it.';
  return new TenonError(
    'TENON_INTERRUPTED',
    `Interrupted before statement ${statement.index} of ${plan.file}${dirty ? '; the migration is dirty at that statement' : ''}.`,
    dirty ? { hint } : {},
  );
}
