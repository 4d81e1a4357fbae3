import type { LintContext, LintRule } from '../lint-rule.js';
import { lockName } from '../lock-model.js';
import { type ResolvedLock, resolvedLocks } from '../resolved-locks.js';
import { slowStep } from '../slow-step.js';

/** What statement `i` of the migration does while earlier ACCESS EXCLUSIVE locks are held. */
function extension(ctx: LintContext, i: number) {
  const statements = ctx.migration.statements;
  const statement = statements[i]!;
  const slow = slowStep(statement);
  const own = resolvedLocks(ctx, statement).filter((l) => !l.isNew);
  // A statement that is not slow and locks nothing that existed before cannot prolong a lock:
  // known without resolving the locks of every earlier statement, which made lint quadratic in a
  // migration's statements (docs/migrate.md#performance).
  if (!slow && own.length === 0) return undefined;
  const held = new Map<string, { lock: ResolvedLock; line: number }>();
  for (const earlier of statements.slice(0, i)) {
    for (const lock of resolvedLocks(ctx, earlier)) {
      if (lock.mode === 'AccessExclusiveLock' && !lock.isNew && !held.has(lock.key)) {
        held.set(lock.key, { lock, line: earlier.line });
      }
    }
  }
  if (held.size === 0) return undefined;
  const others = own.filter((l) => !held.has(l.key));
  if (!slow && others.length === 0) return undefined;
  return { held: [...held.values()], slow, others };
}

/** ACCESS EXCLUSIVE kept through further statements of the same transaction. */
export const exclusiveLockHeld: LintRule = {
  name: 'exclusive-lock-held',
  summary:
    'In a transactional migration an ACCESS EXCLUSIVE lock is held until COMMIT: later slow statements (backfills, index builds, validations) or waits for more locks keep the table blocked.',
  defaultSeverity: 'error',
  effect: 'lock',
  counterparts: { squawk: [], strongMigrations: [] },
  examples: {
    bad: [
      "alter table users add column plan text; update users set plan = 'free';",
      'alter table users add column plan text; create index users_plan on users (plan);',
      'alter table users drop column legacy; alter table orders add column note text;',
    ],
    good: [
      'alter table users add column plan text;',
      'create table plans (id bigint); insert into plans select generate_series(1, 10);',
      "alter table users add column plan text; comment on column users.plan is 'billing plan';",
      "update users set plan = 'free'; alter table users add column plan2 text;",
    ],
  },
  check(ctx) {
    if (!ctx.migration.transactional) return undefined;
    const i = ctx.statement.index - 1;
    const here = extension(ctx, i);
    if (!here) return undefined;
    // One finding per migration, at the first statement that prolongs the lock; it lists the rest.
    for (let j = 0; j < i; j++) if (extension(ctx, j)) return undefined;
    const rest = ctx.later.map((s) => ({ s, e: extension(ctx, s.index - 1) })).filter((x) => x.e);
    const slowOnes = [
      ...(here.slow ? [{ line: ctx.statement.line, what: here.slow }] : []),
      ...rest.filter((x) => x.e!.slow).map((x) => ({ line: x.s.line, what: x.e!.slow! })),
    ];
    const heldNames = here.held.map((h) => `${h.lock.label} (since line ${h.line})`).join(', ');
    const first = here.held[0]!.lock;
    const sure = slowOnes.some((x) => x.what.sure);
    const through =
      slowOnes.length > 0
        ? `through ${slowOnes.map((x) => `${x.what.what} at line ${x.line}`).join(', ')}`
        : `while it waits for ${here.others.map((l) => `${lockName(l.mode)} on ${l.label}`).join(', ')} (up to lock_timeout)`;
    return {
      message: `${heldNames} ${here.held.length > 1 ? 'stay' : 'stays'} locked ${lockName('AccessExclusiveLock')} until this migration commits, ${through}: no reads or writes of ${here.held.length > 1 ? 'them' : first.label} meanwhile.`,
      fix:
        slowOnes.length > 0
          ? 'Split the migration: commit the schema change first (a short transaction), then run the slow step in a migration of its own (batched, for backfills).'
          : 'Change one table per migration, so each transaction holds one exclusive lock for a moment.',
      table: first.name,
      ...(sure ? {} : { severity: 'warning' as const }),
    };
  },
};
