import type { LintRule } from '../lint-rule.js';
import { list, rangeVarName, unwrap } from '../sql-tree.js';

/** REINDEX without CONCURRENTLY. */
export const reindexNotConcurrent: LintRule = {
  name: 'reindex-not-concurrent',
  summary: 'REINDEX without CONCURRENTLY blocks writes to the table (and reads that would use the index).',
  defaultSeverity: 'warning',
  effect: 'scan',
  counterparts: { squawk: ['require-concurrent-reindex'], strongMigrations: [] },
  examples: {
    bad: ['reindex index users_email_idx;', 'reindex table users;'],
    good: ['reindex index concurrently users_email_idx;', 'reindex (concurrently) table users;'],
  },
  check(ctx) {
    const s = ctx.statement.stmt;
    if (ctx.statement.kind !== 'ReindexStmt') return undefined;
    if (list(s.params).some((p) => unwrap(p, 'DefElem')?.defname === 'concurrently')) return undefined;
    const target = rangeVarName(s.relation);
    const isTable = s.kind === 'REINDEX_OBJECT_TABLE';
    const table = isTable ? target : undefined;
    return {
      message: `REINDEX ${target?.name ?? String(s.name ?? '')} without CONCURRENTLY holds SHARE on the table (writes wait) and ACCESS EXCLUSIVE on each index (queries that would use it wait) for the whole rebuild.`,
      fix: 'Use REINDEX … CONCURRENTLY (PostgreSQL 12+) in a migration of its own.',
      ...(table ? { table } : {}),
    };
  },
};
