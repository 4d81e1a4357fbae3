import type { LintRule } from '../lint-rule.js';
import { rangeVarName } from '../sql-tree.js';

const RELATIONS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE']);

/** `ALTER TABLE … RENAME TO` while running code still uses the old name. */
export const renameTable: LintRule = {
  name: 'rename-table',
  summary: 'Renaming a table breaks the application instances still running with the old name.',
  defaultSeverity: 'warning',
  effect: 'break',
  counterparts: { squawk: ['renaming-table'], strongMigrations: ['rename_table', 'rename_schema'] },
  examples: {
    bad: ['alter table users rename to accounts;', 'alter schema app rename to core;'],
    good: ['create table users (id bigint); alter table users rename to accounts;'],
  },
  check(ctx) {
    const s = ctx.statement.stmt;
    if (ctx.statement.kind !== 'RenameStmt') return undefined;
    if (s.renameType === 'OBJECT_SCHEMA') {
      return {
        message: `Renaming schema ${String(s.subname)} to ${String(s.newname)} breaks every query that names it.`,
        fix: 'Create the new schema, move objects with views or synonyms in the old one, and drop the old schema after every instance uses the new name.',
      };
    }
    if (!RELATIONS.has(String(s.renameType))) return undefined;
    const table = rangeVarName(s.relation);
    if (!table) return undefined;
    return {
      message: `Renaming ${table.name} to ${String(s.newname)} breaks every running instance that still uses ${table.name} until all of them are deployed with the new name.`,
      fix: `Rename, then create a view named ${table.name} (SELECT * FROM ${String(s.newname)}; simple views are updatable) in the same migration, and drop the view once no deployed code uses the old name.`,
      table,
    };
  },
};
