import type { LintRule, RuleFinding } from '../lint-rule.js';
import { alterCommands } from '../sql-tree.js';

/** `DROP … CASCADE` and `ALTER TABLE … DROP … CASCADE`. */
export const dropCascade: LintRule = {
  name: 'drop-cascade',
  summary:
    'CASCADE silently drops every dependent object too: views, foreign keys, defaults, policies, columns of other tables.',
  defaultSeverity: 'warning',
  effect: 'none',
  counterparts: { squawk: [], strongMigrations: [] },
  examples: {
    bad: [
      'drop table users cascade;',
      'alter table users drop column email cascade;',
      'drop schema legacy cascade;',
    ],
    good: ['drop table users;', 'alter table users drop column email;'],
  },
  check(ctx) {
    const s = ctx.statement.stmt;
    const findings: RuleFinding[] = [];
    const fix =
      'Drop the dependent objects by name first (query pg_depend, or run without CASCADE and read the error), so the migration says what it removes.';
    if (ctx.statement.kind === 'DropStmt' && s.behavior === 'DROP_CASCADE') {
      const what = String(s.removeType ?? 'OBJECT')
        .replace(/^OBJECT_/, '')
        .toLowerCase();
      findings.push({
        message: `DROP ${what.toUpperCase()} … CASCADE also drops whatever depends on it (views, foreign keys, defaults, functions …), none of which this migration names.`,
        fix,
      });
    } else if (ctx.statement.kind === 'AlterTableStmt') {
      for (const cmd of alterCommands(s)) {
        if (cmd.behavior !== 'DROP_CASCADE') continue;
        findings.push({
          message: `${cmd.subtype === 'AT_DropColumn' ? 'DROP COLUMN' : 'DROP CONSTRAINT'} ${cmd.name ?? ''} … CASCADE also drops the views, indexes and constraints that use it.`,
          fix,
          at: cmd.node,
        });
      }
    }
    return findings;
  },
};
