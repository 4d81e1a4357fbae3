import type { LintRule } from '../lint-rule.js';

const HARMLESS = new Set(['VariableSetStmt', 'VariableShowStmt', 'CommentStmt']);

/** A statement that cannot run in a transaction, in a migration with other statements. */
export const concurrentInTransaction: LintRule = {
  name: 'concurrent-in-transaction',
  summary:
    'CREATE INDEX CONCURRENTLY (or another statement that cannot run in a transaction) in a migration with other changes: those lose their transaction.',
  defaultSeverity: 'warning',
  effect: 'none',
  counterparts: { squawk: ['ban-concurrent-index-creation-in-transaction'], strongMigrations: [] },
  examples: {
    bad: [
      'alter table users add column verified boolean; create index concurrently users_verified on users (verified);',
      'create index concurrently users_email on users (email); update users set email = lower(email);',
    ],
    good: [
      'create index concurrently users_email on users (email);',
      'set search_path to app; create index concurrently users_email on users (email);',
      'create index concurrently a_x on a (x); create index concurrently b_x on b (x);',
    ],
  },
  check(ctx) {
    const reason = ctx.statement.nonTransactional;
    if (!reason) return undefined;
    const others = [...ctx.earlier, ...ctx.later].filter((s) => !s.nonTransactional && !HARMLESS.has(s.kind));
    if (others.length === 0) return undefined;
    const list = others
      .slice(0, 3)
      .map((s) => `line ${s.line}`)
      .join(', ');
    return {
      message: `${reason} cannot run inside a transaction, so tenon runs this whole migration statement by statement: the ${others.length} other statement${others.length > 1 ? 's' : ''} (${list}${others.length > 3 ? ', …' : ''}) commit one by one, and a failure leaves the migration dirty half-way. Runners that wrap each file in a transaction (dbmate without transaction:false, golang-migrate, Flyway) fail on it instead.`,
      fix: `Move the ${reason} into a migration of its own, next to nothing but SET statements.`,
    };
  },
};
