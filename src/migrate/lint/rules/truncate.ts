import type { LintRule } from '../lint-rule.js';
import { list, rangeVarName } from '../sql-tree.js';

/** `TRUNCATE` in a migration. */
export const truncate: LintRule = {
  name: 'truncate',
  summary:
    'TRUNCATE deletes every row under ACCESS EXCLUSIVE; with CASCADE it empties every table that references it too.',
  defaultSeverity: 'warning',
  effect: 'break',
  counterparts: { squawk: ['ban-truncate-cascade'], strongMigrations: [] },
  examples: {
    bad: ['truncate sessions;', 'truncate table users cascade;'],
    good: [
      'create table scratch (id bigint); truncate scratch;',
      'delete from sessions where expires_at < now();',
    ],
  },
  check(ctx) {
    const s = ctx.statement.stmt;
    if (ctx.statement.kind !== 'TruncateStmt') return undefined;
    const cascade = s.behavior === 'DROP_CASCADE';
    return list(s.relations)
      .map((r) => rangeVarName(r))
      .filter((t) => t !== undefined)
      .map((table) => ({
        message: cascade
          ? `TRUNCATE ${table.name} CASCADE empties ${table.name} and every table with a foreign key to it (and theirs, recursively), under ACCESS EXCLUSIVE on all of them.`
          : `TRUNCATE ${table.name} deletes every row at once under ACCESS EXCLUSIVE; a migration that runs in every environment empties production too.`,
        fix: cascade
          ? 'Name every table to empty, without CASCADE; or delete in batches.'
          : 'Delete what must go with a WHERE (in batches), or keep data fixes out of schema migrations.',
        table,
        ...(cascade ? { severity: 'error' as const } : {}),
      }));
  },
};
