import type { LintRule } from '../lint-rule.js';
import { list, unwrap } from '../sql-tree.js';

/** Concurrent index builds on PostgreSQL 14.0–14.3, which could corrupt indexes. */
export const pg14ConcurrentIndex: LintRule = {
  name: 'pg14-concurrent-index',
  summary:
    'CREATE INDEX / REINDEX CONCURRENTLY on PostgreSQL 14.0–14.3 can build corrupt indexes (fixed in 14.4).',
  defaultSeverity: 'error',
  effect: 'none',
  counterparts: { squawk: [], strongMigrations: ['add_index_corruption'] },
  examples: {
    bad: [{ sql: 'create index concurrently users_email on users (email);', serverVersion: 140002 }],
    good: [
      { sql: 'create index concurrently users_email on users (email);', serverVersion: 140004 },
      'create index concurrently users_email on users (email);',
    ],
  },
  check(ctx) {
    const v = ctx.settings.serverVersion;
    if (v < 140000 || v >= 140004) return undefined;
    const s = ctx.statement.stmt;
    const concurrent =
      (ctx.statement.kind === 'IndexStmt' && s.concurrent === true) ||
      (ctx.statement.kind === 'ReindexStmt' &&
        list(s.params).some((p) => unwrap(p, 'DefElem')?.defname === 'concurrently'));
    if (!concurrent) return undefined;
    return {
      message: `The server is PostgreSQL 14.${v % 100}: concurrent index builds there can miss rows of concurrently updated tuples (a bug fixed in 14.4), leaving a corrupt index.`,
      fix: 'Upgrade to 14.4 or later first (and REINDEX indexes built concurrently on 14.0–14.3).',
    };
  },
};
