import type { LintRule, RuleFinding } from '../lint-rule.js';
import { alterCommands, rangeVarName } from '../sql-tree.js';

/** `ALTER COLUMN … DROP NOT NULL`. */
export const dropNotNull: LintRule = {
  name: 'drop-not-null',
  summary: 'DROP NOT NULL lets new code write NULLs that running (older) code does not expect.',
  defaultSeverity: 'info',
  effect: 'break',
  counterparts: { squawk: ['ban-drop-not-null'], strongMigrations: [] },
  examples: {
    bad: ['alter table users alter column email drop not null;'],
    good: [
      'create table users (id bigint, email text not null); alter table users alter column email drop not null;',
    ],
  },
  check(ctx) {
    if (ctx.statement.kind !== 'AlterTableStmt') return undefined;
    const table = rangeVarName(ctx.statement.stmt.relation);
    if (!table) return undefined;
    const findings: RuleFinding[] = [];
    for (const cmd of alterCommands(ctx.statement.stmt)) {
      if (cmd.subtype !== 'AT_DropNotNull' || !cmd.name) continue;
      findings.push({
        message: `${table.name}.${cmd.name} may now be NULL: instances still running the previous release (and rollbacks to it) may not handle a NULL they read.`,
        fix: 'Deploy code that handles NULL first; drop the constraint in a later release.',
        at: cmd.node,
        table,
      });
    }
    return findings;
  },
};
