import { TenonError } from '../core/errors.js';
import { quoteLiteral, quoteMilliseconds } from '../core/sql/quote.js';
import { findInvalidIndexes, findLockBlockers, type InvalidIndex } from './catalog-checks.js';
import { deleteHistorySql, insertHistorySql, updateHistorySql } from './history-table.js';
import { isLockTimeout, lockRetriesExhaustedError, statementFailedError } from './migrate-errors.js';
import type { MigrationResult } from './migrate-events.js';
import { DOWN_ERROR_PREFIX } from './migration-state.js';
import { type MigrationPlan, type PlannedStatement, relationsOf } from './plan.js';
import {
  backoff,
  baseResult,
  elapsed,
  emitStatement,
  historyWriteSql,
  outsideTransactionWriteSql,
  type RunSettings,
} from './run-settings.js';

/**
 * Outside a transaction: the history row is written dirty before the first
 * statement and advanced after each one, with an `error` that says which
 * statement was running, so a runner killed mid-statement leaves an honest
 * record. Lock timeouts are retried per statement, unless the failed
 * attempt left an invalid index behind (running it again would fail on the
 * name, or worse, skip with IF NOT EXISTS).
 */
export async function runStatementByStatement(
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
  await session.exec(settings.resetSql);
  // A resumed migration gets back the session settings its committed statements made
  // (`SET search_path TO app` at the top), so the rest runs as it would have.
  for (const statement of plan.statements.slice(0, (resumeFrom ?? 1) - 1)) {
    if (isSessionSet(statement)) await session.exec(statement.sql);
  }
  for (const statement of plan.statements.slice((resumeFrom ?? 1) - 1)) {
    const k = statement.index;
    if (settings.signal?.aborted && rowExists) {
      const message = `${tag}interrupted before statement ${k} of ${total}`;
      await session.exec(
        outsideTransactionWriteSql(
          updateHistorySql(history, plan.version, {
            state: "'dirty'",
            ...(down ? {} : { statements_done: String(k - 1) }),
            error: quoteLiteral(message),
          }),
        ),
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
      `${outsideTransactionWriteSql(progress)};\nset lock_timeout = ${quoteMilliseconds(lockTimeout)};\nset statement_timeout = ${quoteMilliseconds(settings.statementTimeoutMs)}`,
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
            `${outsideTransactionWriteSql(updateHistorySql(history, plan.version, { error: quoteLiteral(message) }))};\nreset lock_timeout;\nreset statement_timeout`,
          )
          .catch(() => undefined);
        if (isLockTimeout(error) && leftBehind.length === 0) {
          const blockers = await findLockBlockers(session, relationsOf(statement)).catch(() => []);
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
  await session.exec(`${outsideTransactionWriteSql(finish)};\nreset lock_timeout;\nreset statement_timeout`);
  result.executionMs = ms;
  return result;
}

/** `SET name …` (not `SET LOCAL`), `SET ROLE`, `SET SESSION AUTHORIZATION`: what lasts past the statement. */
function isSessionSet(statement: PlannedStatement): boolean {
  if (statement.kind !== 'VariableSetStmt') return false;
  const stmt = statement.node.VariableSetStmt as { is_local?: boolean } | undefined;
  return stmt?.is_local !== true;
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
