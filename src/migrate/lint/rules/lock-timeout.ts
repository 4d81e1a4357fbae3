import type { LintRule, LintStatement } from '../lint-rule.js';
import { lockName, lockStrength, predictLocks } from '../lock-model.js';
import { variableSet } from '../sql-tree.js';

function parseTimeoutMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/i.exec(value);
  if (!match) return undefined;
  const unit = (match[2] ?? 'ms').toLowerCase();
  const factor =
    unit === 's' ? 1000 : unit === 'min' ? 60_000 : unit === 'h' ? 3_600_000 : unit === 'd' ? 86_400_000 : 1;
  return Number(match[1]) * factor;
}

/** The lock_timeout in force before `statement` of a migration, from its SET statements. */
function timeoutSetBefore(earlier: readonly LintStatement[]): { ms: number; line: number } | undefined {
  let found: { ms: number; line: number } | undefined;
  for (const s of earlier) {
    if (s.kind !== 'VariableSetStmt') continue;
    const set = variableSet(s.stmt);
    if (set.name !== 'lock_timeout') continue;
    const ms = parseTimeoutMs(set.value);
    found = ms === undefined ? undefined : { ms, line: s.line };
  }
  return found;
}

/** A statement that waits for a strong lock with no lock_timeout in force. */
export const lockTimeout: LintRule = {
  name: 'lock-timeout',
  summary:
    'A strong lock requested with no lock_timeout queues every later query on the table behind it while it waits; tenon sets lock_timeout (5s) unless it is switched off.',
  defaultSeverity: 'warning',
  effect: 'lock',
  counterparts: {
    squawk: ['require-lock-timeout', 'require-timeout-settings'],
    strongMigrations: ['lock_timeout (setting)'],
  },
  examples: {
    bad: [
      'set lock_timeout = 0; alter table users add column note text;',
      "set lock_timeout to '10min'; alter table users drop column legacy;",
    ],
    good: [
      'alter table users add column note text;',
      "set lock_timeout = '2s'; alter table users add column note text;",
      'create table t (id bigint); alter table t add column note text;',
    ],
  },
  check(ctx) {
    const strong = predictLocks(ctx.statement.kind, ctx.statement.stmt).filter(
      (l) => lockStrength(l.mode) >= lockStrength('ShareUpdateExclusiveLock') && !ctx.table(l.table).isNew,
    );
    if (strong.length === 0) return undefined;
    if (ctx.statement.nonTransactional?.includes('CONCURRENTLY')) return undefined;
    // The cheap exits first: the look at every earlier statement's locks below made the rule
    // quadratic in a migration's statements, and with tenon's lock_timeout in force (the usual
    // case) it is never needed (docs/migrate.md#performance).
    const set = timeoutSetBefore(ctx.earlier);
    const effective = set ? set.ms : ctx.settings.runnerLockTimeoutMs;
    if (effective > 0 && effective <= 60_000) return undefined;
    // Report once per migration: at the first statement that takes such a lock.
    const firstEarlier = ctx.earlier.some((s) =>
      predictLocks(s.kind, s.stmt).some(
        (l) => lockStrength(l.mode) >= lockStrength('ShareUpdateExclusiveLock') && !ctx.table(l.table).isNew,
      ),
    );
    if (firstEarlier) return undefined;
    const lock = strong[0]!;
    const where = set
      ? `lock_timeout is ${set.ms === 0 ? 'switched off' : `${Math.round(set.ms / 1000)}s`} at line ${set.line}`
      : 'tenon runs with --lock-timeout 0';
    return {
      message: `${where}, so this statement waits for ${lockName(lock.mode)} on ${lock.table.name} as long as any transaction holds a conflicting lock, and every query on ${lock.table.name} that arrives meanwhile queues behind it.`,
      fix: "Keep tenon's lock_timeout (migrate.lockTimeout, 5s by default; retried with backoff) or SET lock_timeout = '2s' before the first lock.",
      table: lock.table,
    };
  },
};
