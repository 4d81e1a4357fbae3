import type { LintRule, RuleFinding } from '../lint-rule.js';
import { list, names, qualifiedFromNames, unwrap } from '../sql-tree.js';

/** `DROP INDEX` without `CONCURRENTLY`. */
export const dropIndexNotConcurrent: LintRule = {
  name: 'drop-index-not-concurrent',
  summary: "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the index's table.",
  defaultSeverity: 'warning',
  effect: 'lock',
  counterparts: { squawk: ['require-concurrent-index-deletion'], strongMigrations: ['remove_index'] },
  examples: {
    bad: ['drop index users_email_idx;'],
    good: [
      'drop index concurrently if exists users_email_idx;',
      'create table t (a int); create index t_a on t (a); drop index t_a;',
    ],
  },
  check(ctx) {
    const s = ctx.statement.stmt;
    if (ctx.statement.kind !== 'DropStmt' || s.removeType !== 'OBJECT_INDEX' || s.concurrent === true) {
      return undefined;
    }
    const findings: RuleFinding[] = [];
    for (const object of list(s.objects)) {
      const name = qualifiedFromNames(names(unwrap(object, 'List')?.items));
      if (!name) continue;
      const table = ctx.index(name)?.table;
      findings.push({
        message: `DROP INDEX ${name.name} waits for ACCESS EXCLUSIVE on its table; while it waits, every query on the table queues behind it.`,
        fix: 'Use DROP INDEX CONCURRENTLY (in a migration of its own; tenon runs it outside a transaction).',
        ...(table ? { table } : {}),
      });
    }
    return findings;
  },
};
