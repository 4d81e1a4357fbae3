import { quoteQualified } from '../../core/sql/quote.js';
import type { Check, Finding } from '../check.js';
import { TAG, toMigrationName } from '../sql-text.js';

/**
 * Indexes left INVALID by a failed `CREATE INDEX CONCURRENTLY` (or
 * REINDEX): never used for reads, yet still maintained on every write.
 * Builds still in progress are not reported.
 */
export const invalidIndex: Check = {
  id: 'invalid-index',
  title: 'Invalid indexes',
  severities: { warning: 'the index is invalid and no build of it is running' },
  requires: [],
  async run(ctx) {
    const indexes = (await ctx.catalog.indexes()).filter((i) => !i.valid);
    if (indexes.length === 0) return [];
    const building = new Set<number>();
    if (ctx.capabilities.kind === 'postgres') {
      const { rows } = await ctx.db.query<{ oid: string }>(
        `select ${TAG} index_relid::int8::text as oid from pg_stat_progress_create_index`,
      );
      for (const row of rows) building.add(Number(row.oid));
    }
    const reindex = ctx.capabilities.concurrentIndexes ? 'REINDEX INDEX CONCURRENTLY' : 'REINDEX INDEX';
    return indexes
      .filter((index) => !building.has(index.oid))
      .map(
        (index): Finding => ({
          check: 'invalid-index',
          severity: 'warning',
          title: `${index.qualified} on ${index.qualifiedTable} is INVALID`,
          object: { type: 'index', name: index.qualified, table: index.qualifiedTable },
          evidence: { definition: index.definition, ready: index.ready, bytes: index.bytes },
          recommendation: index.unique
            ? `A unique build failed, usually on duplicate values: remove the duplicates, then rebuild it (${reindex}), or drop it.`
            : `Rebuild it (${reindex}) or drop it and create it again.`,
          fix: {
            name: toMigrationName(`reindex_${index.name}`),
            up: `${reindex} ${quoteQualified(index.schema, index.name)};`,
            down: '',
            migration: false,
          },
        }),
      );
  },
};
