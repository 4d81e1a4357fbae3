import type { LintRule } from '../lint-rule.js';

/** BEGIN, COMMIT, ROLLBACK, SAVEPOINT … in a migration file. */
export const transactionControl: LintRule = {
  name: 'transaction-control',
  summary:
    'BEGIN, COMMIT, ROLLBACK or SAVEPOINT in a migration: tenon manages the transaction and refuses the file.',
  defaultSeverity: 'error',
  effect: 'none',
  counterparts: { squawk: ['transaction-nesting', 'ban-uncommitted-transaction'], strongMigrations: [] },
  examples: {
    bad: ['begin; create table t (id bigint); commit;', 'create table t (id bigint); commit;'],
    good: ['create table t (id bigint);'],
  },
  check(ctx) {
    if (ctx.statement.kind !== 'TransactionStmt') return undefined;
    const word = ctx.statement.text.split(/\s+/)[0]?.toUpperCase() ?? 'BEGIN';
    return {
      message: `${word} in a migration: tenon runs each migration in its own transaction (or statement by statement when it must), so \`migrate up\` refuses this file (TENON_MIGRATE_TRANSACTION_CONTROL).`,
      fix: 'Remove BEGIN/COMMIT/ROLLBACK/SAVEPOINT; split the file into several migrations where you need several transactions.',
    };
  },
};
