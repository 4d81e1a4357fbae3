import { sqlStateOf } from '../core/db/database-errors.js';
import { formatDuration } from '../core/duration.js';
import { TenonError, toTenonError } from '../core/errors.js';
import { dropInvalidIndexSql, type InvalidIndex, type LockBlocker } from './catalog-checks.js';
import type { MigrationPlan, PlannedStatement } from './plan.js';

/** SQLSTATE `lock_not_available`: lock_timeout expired (or NOWAIT). */
export const LOCK_NOT_AVAILABLE = '55P03';

/** True when the error is a lock timeout, the one failure worth retrying as is. */
export function isLockTimeout(error: unknown): boolean {
  return sqlStateOf(error) === LOCK_NOT_AVAILABLE;
}

/**
 * Where in the file PostgreSQL's error position points: the statement's
 * start plus the offset within it (`position` is 1-based, in characters).
 */
export function locateInStatement(
  statement: Pick<PlannedStatement, 'line' | 'column' | 'sql'>,
  position: number | undefined,
): { line: number; column: number } {
  if (position === undefined || position < 1 || position > statement.sql.length + 1) {
    return { line: statement.line, column: statement.column };
  }
  const before = statement.sql.slice(0, position - 1);
  const newlines = before.split('\n');
  if (newlines.length === 1) return { line: statement.line, column: statement.column + before.length };
  return { line: statement.line + newlines.length - 1, column: newlines.at(-1)!.length + 1 };
}

function firstLine(sql: string): string {
  const line = sql.split('\n').find((l) => l.trim() && !l.trim().startsWith('--')) ?? sql;
  return line.length > 100 ? `${line.slice(0, 100)}…` : line.trim();
}

/** What became of the migration when a statement failed. */
export interface FailureState {
  /** True: it ran in a transaction and nothing remains. False: it is dirty now. */
  rolledBack: boolean;
  invalidIndexes?: InvalidIndex[];
  /** Position of the error inside the statement's SQL, when PostgreSQL gave one. */
  position?: number | undefined;
}

/**
 * `TENON_MIGRATE_STATEMENT_FAILED`: names the file, the statement, its line
 * and column, PostgreSQL's message, detail and hint, and what is left.
 */
export function statementFailedError(
  plan: MigrationPlan,
  statement: PlannedStatement | 'commit',
  cause: unknown,
  state: FailureState,
): TenonError {
  const error = toTenonError(cause);
  const total = plan.statements.length;
  const details: Record<string, unknown> = {
    file: plan.file,
    version: plan.version,
    direction: plan.direction,
    transactional: plan.transactional,
    sqlState: error.details.sqlState,
    ...(error.details.detail ? { detail: error.details.detail } : {}),
    ...(error.hint ? { postgresHint: error.hint } : {}),
  };
  let where: string;
  if (statement === 'commit') {
    where = `${plan.file}: COMMIT after statement ${total} failed`;
    details.statement = 'commit';
  } else {
    const { line, column } = statement.rewritten
      ? statement
      : locateInStatement(statement, state.position ?? (error.details.position as number | undefined));
    where = `${plan.file}:${line}:${column}: statement ${statement.index} of ${total} (${plan.direction}) failed`;
    Object.assign(details, { statement: statement.index, line, column, sql: statement.sql });
  }
  const lines = [`${where}: ${error.message}`];
  if (error.details.detail) lines.push(`DETAIL: ${String(error.details.detail)}`);
  if (statement !== 'commit') lines.push(`  ${firstLine(statement.sql)}`);
  const invalid = state.invalidIndexes ?? [];
  if (state.rolledBack) {
    lines.push('Nothing of this migration remains: it ran in one transaction, which was rolled back.');
  } else if (statement !== 'commit') {
    const done = statement.index - 1;
    lines.push(
      `The migration ran outside a transaction: ${done === 0 ? 'no statement' : `statements 1–${done}`} committed, statement ${statement.index} failed; it is marked dirty.`,
    );
  }
  if (invalid.length > 0) {
    lines.push(`INVALID indexes: ${invalid.map((i) => `${i.schema}.${i.name} on ${i.table}`).join(', ')}.`);
    details.invalidIndexes = invalid;
  }
  const hints: string[] = [];
  if (error.hint) hints.push(`PostgreSQL: ${error.hint}`);
  if (!state.rolledBack) hints.push(dirtyHint(plan.file, invalid));
  return new TenonError('TENON_MIGRATE_STATEMENT_FAILED', lines.join('\n'), {
    cause,
    details,
    ...(hints.length > 0 ? { hint: hints.join('\n') } : {}),
  });
}

/** The steps to take after a non-transactional migration failed. */
export function dirtyHint(file: string, invalid: readonly InvalidIndex[]): string {
  const steps = [
    `Check what the failed statement left behind${invalid.length > 0 ? `: drop the invalid index${invalid.length > 1 ? 'es' : ''} (${invalid.map(dropInvalidIndexSql).join(' ')})` : ''}, fix the cause (data or SQL in ${file}), then tell tenon what you did:`,
    '  tenon migrate repair --retry    # run it again from the failed statement on the next up',
    '  tenon migrate repair --applied  # you finished the remaining statements by hand',
    '  tenon migrate repair --forget   # you undid the committed statements; the next up runs it from the start',
  ];
  return steps.join('\n');
}

/** `TENON_MIGRATE_LOCK_RETRIES_EXHAUSTED`, naming the sessions holding locks on the tables involved. */
export function lockRetriesExhaustedError(
  plan: MigrationPlan,
  statement: PlannedStatement | undefined,
  cause: unknown,
  attempts: number,
  lockTimeoutMs: number,
  blockers: readonly LockBlocker[],
  rolledBack: boolean,
): TenonError {
  const at = statement ? `statement ${statement.index} (line ${statement.line})` : 'the migration';
  const held = blockers.map(
    (b) =>
      `pid ${b.pid}${b.applicationName ? ` "${b.applicationName}"` : ''} holds ${b.mode} on ${b.relation}${b.state ? ` (${b.state}${b.xactStart ? `, transaction open since ${b.xactStart.toISOString()}` : ''})` : ''}`,
  );
  const lines = [
    `${plan.file}: ${at} waited longer than lock_timeout (${formatDuration(lockTimeoutMs)}) on each of ${attempts} attempt${attempts > 1 ? 's' : ''}: ${toTenonError(cause).message}.`,
    ...(held.length > 0 ? [`Lock holders now: ${held.join('; ')}.`] : []),
    rolledBack
      ? 'Nothing of this migration remains; other sessions were blocked for at most lock_timeout per attempt.'
      : 'The migration is dirty: the statements before this one committed.',
  ];
  return new TenonError('TENON_MIGRATE_LOCK_RETRIES_EXHAUSTED', lines.join('\n'), {
    cause,
    hint: `Another session holds a conflicting lock (often a long or idle-in-transaction session; see pg_stat_activity${blockers[0] ? `, or end it with select pg_terminate_backend(${blockers[0].pid})` : ''}). Run again when it is gone, or raise --lock-timeout / migrate.lockRetries, knowing each wait also queues other queries on that table.${rolledBack ? '' : `\n${dirtyHint(plan.file, [])}`}`,
    details: {
      file: plan.file,
      version: plan.version,
      attempts,
      lockTimeoutMs,
      blockers,
      ...(statement ? { statement: statement.index, line: statement.line } : {}),
    },
  });
}
