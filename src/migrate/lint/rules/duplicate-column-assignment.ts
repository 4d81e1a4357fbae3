import type { LintRule } from '../lint-rule.js';
import { list, unwrap } from '../sql-tree.js';

/** `UPDATE … SET a = 1, a = 2` and `INSERT INTO t (a, a)`. */
export const duplicateColumnAssignment: LintRule = {
  name: 'duplicate-column-assignment',
  summary:
    'A column assigned twice in one UPDATE or INSERT fails with "multiple assignments to same column".',
  defaultSeverity: 'error',
  effect: 'none',
  counterparts: { squawk: [], strongMigrations: [] },
  examples: {
    bad: ["update users set plan = 'free', plan = 'pro';", 'insert into users (id, id) values (1, 2);'],
    good: ["update users set plan = 'free', tier = 1;"],
  },
  check(ctx) {
    const s = ctx.statement.stmt;
    const targets =
      ctx.statement.kind === 'UpdateStmt'
        ? s.targetList
        : ctx.statement.kind === 'InsertStmt'
          ? s.cols
          : undefined;
    if (!targets) return undefined;
    const seen = new Set<string>();
    for (const target of list(targets)) {
      const name = unwrap(target, 'ResTarget')?.name;
      if (typeof name !== 'string') continue;
      if (seen.has(name)) {
        return {
          message: `${name} is assigned twice: PostgreSQL rejects the statement ("multiple assignments to same column").`,
          fix: `Assign ${name} once.`,
          at: target,
        };
      }
      seen.add(name);
    }
    return undefined;
  },
};
