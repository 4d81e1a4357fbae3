import type { LintRule, RuleFinding } from '../lint-rule.js';
import { typedColumns, typeText } from '../sql-tree.js';

/** `timestamp` (without time zone) columns. */
export const preferTimestamptz: LintRule = {
  name: 'prefer-timestamptz',
  summary:
    'timestamp without time zone stores wall-clock time with no zone: values shift with the session TimeZone.',
  defaultSeverity: 'info',
  effect: 'none',
  counterparts: { squawk: ['prefer-timestamptz'], strongMigrations: [] },
  examples: {
    bad: [
      'create table events (id bigint, at timestamp);',
      'alter table events add column seen_at timestamp(3);',
    ],
    good: ['create table events (id bigint, at timestamptz);'],
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const col of typedColumns(ctx.statement.kind, ctx.statement.stmt)) {
      if (col.type.name !== 'timestamp' || col.type.array) continue;
      findings.push({
        message: `${col.column} is ${typeText(col.type)} (without time zone): it keeps no zone, so clients in different time zones read and write different instants.`,
        fix: `Use timestamptz${col.type.mods.length > 0 ? `(${col.type.mods[0]})` : ''}: same 8 bytes, stored as UTC, shown in the session's zone.`,
        at: col.type.location !== undefined ? { location: col.type.location } : undefined,
      });
    }
    return findings;
  },
};
