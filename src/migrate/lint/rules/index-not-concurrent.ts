import type { LintRule } from '../lint-rule.js';
import { rangeVarName } from '../sql-tree.js';

/** `CREATE INDEX` without `CONCURRENTLY` on a table that exists. */
export const indexNotConcurrent: LintRule = {
  name: 'index-not-concurrent',
  summary: 'CREATE INDEX without CONCURRENTLY holds SHARE on the table for the whole build: writes wait.',
  defaultSeverity: 'warning',
  effect: 'scan',
  counterparts: { squawk: ['require-concurrent-index-creation'], strongMigrations: ['add_index'] },
  examples: {
    bad: ['create index users_email_idx on users (email);', 'create unique index on users (email);'],
    good: [
      'create index concurrently users_email_idx on users (email);',
      'create table users (id bigint, email text); create index users_email_idx on users (email);',
    ],
  },
  check(ctx) {
    if (ctx.statement.kind !== 'IndexStmt' || ctx.statement.stmt.concurrent === true) return undefined;
    const table = rangeVarName(ctx.statement.stmt.relation);
    if (!table) return undefined;
    const name = typeof ctx.statement.stmt.idxname === 'string' ? `${ctx.statement.stmt.idxname} ` : '';
    return {
      message: `CREATE INDEX ${name}on ${table.name} holds SHARE on the table while it reads every row and sorts: inserts, updates and deletes wait until the build ends.`,
      fix: 'Use CREATE INDEX CONCURRENTLY in a migration of its own (tenon runs it outside a transaction). If it fails it leaves an INVALID index: drop it (DROP INDEX CONCURRENTLY) and run again.',
      table,
    };
  },
};
