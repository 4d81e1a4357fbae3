import type { LintRule, RuleFinding } from '../lint-rule.js';
import { typedColumns, typeText } from '../sql-tree.js';

const SERIAL = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/** `serial` columns. */
export const preferIdentity: LintRule = {
  name: 'prefer-identity',
  summary:
    'serial creates a sequence with its own owner and grants; identity columns are the standard, simpler form.',
  defaultSeverity: 'info',
  effect: 'none',
  counterparts: { squawk: ['prefer-identity'], strongMigrations: [] },
  examples: {
    bad: ['create table events (id bigserial primary key);'],
    good: ['create table events (id bigint generated always as identity primary key);'],
  },
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const col of typedColumns(ctx.statement.kind, ctx.statement.stmt)) {
      if (!SERIAL.has(col.type.name)) continue;
      findings.push({
        message: `${col.column} is ${typeText(col.type)}: its sequence needs separate grants, is not copied by CREATE TABLE … LIKE, and accepts explicit values that later collide.`,
        fix: 'Use bigint generated always as identity (the sequence comes with the column and belongs to it).',
        at: col.type.location !== undefined ? { location: col.type.location } : undefined,
      });
    }
    return findings;
  },
};
