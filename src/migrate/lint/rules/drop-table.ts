import type { LintRule, RuleFinding } from '../lint-rule.js';
import { list, names, qualifiedFromNames, unwrap } from '../sql-tree.js';

/** `DROP TABLE` that running code may still use. */
export const dropTable: LintRule = {
  name: 'drop-table',
  summary: 'Dropping a table breaks running instances that still use it, and waits for ACCESS EXCLUSIVE.',
  defaultSeverity: 'warning',
  effect: 'break',
  counterparts: { squawk: ['ban-drop-table'], strongMigrations: [] },
  examples: {
    bad: ['drop table sessions;', 'drop table if exists old_audit, old_log;'],
    good: ['create table scratch (id bigint); drop table scratch;'],
  },
  check(ctx) {
    const s = ctx.statement.stmt;
    if (ctx.statement.kind !== 'DropStmt' || s.removeType !== 'OBJECT_TABLE') return undefined;
    const findings: RuleFinding[] = [];
    for (const object of list(s.objects)) {
      const table = qualifiedFromNames(names(unwrap(object, 'List')?.items));
      if (!table) continue;
      findings.push({
        message: `Dropping ${table.name} breaks every running instance that still queries it, and the data is gone for good.`,
        fix: `Deploy code that no longer uses ${table.name} first; consider renaming it to ${table.name}_deprecated for one release before dropping it.`,
        table,
      });
    }
    return findings;
  },
};
