import type { LintRule } from '../lint-rule.js';

/** `DROP DATABASE` in a migration. */
export const dropDatabase: LintRule = {
  name: 'drop-database',
  summary:
    'DROP DATABASE in a migration deletes a whole database in every environment the migration reaches.',
  defaultSeverity: 'error',
  effect: 'none',
  counterparts: { squawk: ['ban-drop-database'], strongMigrations: [] },
  examples: { bad: ['drop database analytics;'], good: ['create table t (id bigint);'] },
  check(ctx) {
    if (ctx.statement.kind !== 'DropdbStmt') return undefined;
    return {
      message: `DROP DATABASE ${String(ctx.statement.stmt.dbname)}: a migration runs in every environment, so this deletes that database everywhere.`,
      fix: 'Drop databases by hand, as an operation, not in a migration.',
    };
  },
};
