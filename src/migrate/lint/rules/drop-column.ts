import type { LintRule, RuleFinding } from '../lint-rule.js';
import { alterCommands, rangeVarName } from '../sql-tree.js';

/** `DROP COLUMN` that running code may still read or write. */
export const dropColumn: LintRule = {
  name: 'drop-column',
  summary:
    'Dropping a column breaks running instances that still select or insert it (ORMs list columns explicitly).',
  defaultSeverity: 'warning',
  effect: 'break',
  counterparts: { squawk: ['ban-drop-column'], strongMigrations: ['remove_column'] },
  examples: {
    bad: ['alter table users drop column legacy_flag;'],
    good: ['create table users (id bigint, legacy_flag boolean); alter table users drop column legacy_flag;'],
  },
  check(ctx) {
    if (ctx.statement.kind !== 'AlterTableStmt') return undefined;
    const table = rangeVarName(ctx.statement.stmt.relation);
    if (!table) return undefined;
    const findings: RuleFinding[] = [];
    for (const cmd of alterCommands(ctx.statement.stmt)) {
      if (cmd.subtype !== 'AT_DropColumn' || !cmd.name) continue;
      findings.push({
        message: `Dropping ${table.name}.${cmd.name} breaks every running instance whose queries (or ORM models) still name it; the data is gone for good.`,
        fix: `First deploy code that no longer reads or writes ${cmd.name} (tell the ORM to ignore it), then drop the column in a later migration.`,
        at: cmd.node,
        table,
      });
    }
    return findings;
  },
};
