import type { LintRule, RuleFinding } from '../lint-rule.js';
import { typedColumns } from '../sql-tree.js';

/** `json` columns. */
export const preferJsonb: LintRule = {
  name: 'prefer-jsonb',
  summary:
    'json has no equality operator (SELECT DISTINCT, GROUP BY and UNION fail on it) and no indexes; jsonb has both.',
  defaultSeverity: 'info',
  effect: 'none',
  counterparts: { squawk: [], strongMigrations: ['add_column_json'] },
  examples: {
    bad: ['create table events (id bigint, payload json);', 'alter table events add column meta json;'],
    good: ['create table events (id bigint, payload jsonb);'],
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const col of typedColumns(ctx.statement.kind, ctx.statement.stmt)) {
      if (col.type.name !== 'json') continue;
      findings.push({
        message: `${col.column} is json: it keeps the text as written, has no equality operator (DISTINCT, GROUP BY, UNION fail) and cannot be indexed with GIN.`,
        fix: 'Use jsonb (unless the exact text, key order and duplicate keys must be kept).',
        at: col.type.location !== undefined ? { location: col.type.location } : undefined,
      });
    }
    return findings;
  },
};
