import type { LintRule, RuleFinding } from '../lint-rule.js';
import { typedColumns, typeText } from '../sql-tree.js';

/** `varchar(n)` and `char(n)` columns. */
export const preferText: LintRule = {
  name: 'prefer-text',
  summary:
    'varchar(n) and char(n): a length limit in the type is hard to change later; text with a CHECK is not.',
  defaultSeverity: 'info',
  effect: 'none',
  counterparts: { squawk: ['prefer-text-field', 'ban-char-field'], strongMigrations: [] },
  examples: {
    bad: [
      'create table users (id bigint, email varchar(255));',
      'alter table users add column code char(3);',
    ],
    good: ['create table users (id bigint, email text);', 'create table users (id bigint, email varchar);'],
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const col of typedColumns(ctx.statement.kind, ctx.statement.stmt)) {
      const isChar = col.type.name === 'bpchar' || col.type.name === 'char';
      if (!(col.type.name === 'varchar' && col.type.mods.length > 0) && !isChar) continue;
      const limit = col.type.mods[0];
      findings.push({
        message: isChar
          ? `${col.column} is ${typeText(col.type)}: char pads values with spaces, compares them oddly and is no faster than text.`
          : `${col.column} is ${typeText(col.type)}: lowering the limit later rewrites the table under ACCESS EXCLUSIVE, and the limit is a business rule the type cannot explain.`,
        fix: `Use text${limit ? ` with CHECK (char_length(${col.column}) <= ${limit})` : ''}: a CHECK can be replaced online (add the new one NOT VALID, VALIDATE it, drop the old one).`,
        at: col.type.location !== undefined ? { location: col.type.location } : undefined,
      });
    }
    return findings;
  },
};
