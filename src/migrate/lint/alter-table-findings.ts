import type { LintContext, RuleFinding } from './lint-rule.js';
import { type AlterCommand, alterCommands, type QualifiedName, rangeVarName } from './sql-tree.js';

/**
 * The findings of a rule about `ALTER TABLE` sub-commands: calls `each` with
 * every sub-command of the statement being checked and the table it alters,
 * and collects what `each` adds. Undefined for any other statement (or an
 * `ALTER TABLE` without a table name), as a rule's `check` answers.
 */
export function alterTableFindings(
  ctx: LintContext,
  each: (cmd: AlterCommand, table: QualifiedName, add: (finding: RuleFinding) => void) => void,
): RuleFinding[] | undefined {
  if (ctx.statement.kind !== 'AlterTableStmt') return undefined;
  const table = rangeVarName(ctx.statement.stmt.relation);
  if (!table) return undefined;
  const findings: RuleFinding[] = [];
  const add = (finding: RuleFinding) => findings.push(finding);
  for (const cmd of alterCommands(ctx.statement.stmt)) each(cmd, table, add);
  return findings;
}
