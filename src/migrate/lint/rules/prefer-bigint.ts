import type { LintRule, RuleFinding } from '../lint-rule.js';
import { typedColumns, typeText } from '../sql-tree.js';

const SMALL = new Set([
  'int2',
  'int4',
  'serial',
  'serial4',
  'smallserial',
  'serial2',
  'int',
  'integer',
  'smallint',
]);

/** `integer` and `smallint` columns. */
export const preferBigint: LintRule = {
  name: 'prefer-bigint',
  summary: 'integer and smallint columns run out (2^31 and 2^15); widening them later rewrites the table.',
  defaultSeverity: 'info',
  effect: 'none',
  counterparts: { squawk: ['prefer-bigint-over-int', 'prefer-bigint-over-smallint'], strongMigrations: [] },
  examples: {
    bad: [
      'create table events (id serial primary key);',
      'alter table users add column login_count smallint;',
    ],
    good: ['create table events (id bigint generated always as identity primary key, n bigint);'],
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const col of typedColumns(ctx.statement.kind, ctx.statement.stmt)) {
      if (!SMALL.has(col.type.name) || col.type.array) continue;
      const key = col.constraints.some(
        (c) => c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_FOREIGN',
      );
      findings.push({
        message: `${col.column} is ${typeText(col.type)}${key ? ', a key' : ''}: it overflows at ${col.type.name.includes('2') || col.type.name.includes('small') ? '32,767' : '2,147,483,647'}, and widening it later rewrites the table (and every table that references it).`,
        fix: `Use bigint${col.type.name.includes('serial') ? ' (bigint generated always as identity)' : ''}; it costs 4 more bytes a row.`,
        at: col.type.location !== undefined ? { location: col.type.location } : undefined,
        ...(key ? { severity: 'warning' as const } : {}),
      });
    }
    return findings;
  },
};
