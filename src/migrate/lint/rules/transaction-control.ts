import { ownTransactionWrapper } from '../../own-transaction.js';
import type { LintRule } from '../lint-rule.js';

/** BEGIN, COMMIT, ROLLBACK, SAVEPOINT … in a migration file. */
export const transactionControl: LintRule = {
  name: 'transaction-control',
  summary:
    'BEGIN, COMMIT, ROLLBACK or SAVEPOINT in a migration: tenon manages the transaction and refuses the file (a plain BEGIN … COMMIT around the whole section is taken as its transaction: info).',
  defaultSeverity: 'error',
  effect: 'none',
  counterparts: { squawk: ['transaction-nesting', 'ban-uncommitted-transaction'], strongMigrations: [] },
  examples: {
    bad: ['create table t (id bigint); commit;', 'create table t (id bigint); savepoint a;'],
    good: ['create table t (id bigint);'],
  },
  check(ctx) {
    if (ctx.statement.kind !== 'TransactionStmt') return undefined;
    const word = ctx.statement.text.split(/\s+/)[0]?.toUpperCase() ?? 'BEGIN';
    const { statements } = ctx.migration;
    const wrapper =
      ctx.migration.transactional &&
      ownTransactionWrapper(
        statements.map((s) => ({ ...s, transactionControl: s.kind === 'TransactionStmt' })),
      ) &&
      (ctx.statement === statements[0] || ctx.statement === statements[statements.length - 1]);
    if (wrapper)
      return {
        message: `${word} wraps the whole section: \`migrate up\` takes it as the migration's transaction and runs the statements between in its own.`,
        fix: 'Nothing is needed; remove the BEGIN/COMMIT pair to say so in the file.',
        severity: 'info',
      };
    return {
      message: `${word} in a migration: tenon runs each migration in its own transaction (or statement by statement when it must), so \`migrate up\` refuses this file (TENON_MIGRATE_TRANSACTION_CONTROL).`,
      fix: 'Remove BEGIN/COMMIT/ROLLBACK/SAVEPOINT; split the file into several migrations where you need several transactions.',
    };
  },
};
