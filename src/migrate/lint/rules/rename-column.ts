import type { LintRule } from '../lint-rule.js';
import { rangeVarName } from '../sql-tree.js';

/** `RENAME COLUMN` while running code still uses the old name. */
export const renameColumn: LintRule = {
  name: 'rename-column',
  summary: 'Renaming a column breaks the application instances still running with the old name.',
  defaultSeverity: 'warning',
  effect: 'break',
  counterparts: { squawk: ['renaming-column'], strongMigrations: ['rename_column'] },
  examples: {
    bad: ['alter table users rename column email to email_address;'],
    good: [
      'create table users (id bigint, email text); alter table users rename column email to email_address;',
    ],
  },
  check(ctx) {
    const s = ctx.statement.stmt;
    if (ctx.statement.kind !== 'RenameStmt' || s.renameType !== 'OBJECT_COLUMN') return undefined;
    const table = rangeVarName(s.relation);
    if (!table) return undefined;
    return {
      message: `Renaming ${table.name}.${String(s.subname)} to ${String(s.newname)} breaks every running instance that still reads or writes ${String(s.subname)} until all of them are deployed with the new name.`,
      fix: `Add ${String(s.newname)}, write both columns from the application, backfill, switch reads, stop writing ${String(s.subname)}, then drop it in a later migration (or create a view with the old name during the switch).`,
      table,
    };
  },
};
