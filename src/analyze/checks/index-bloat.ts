import type { Check, Finding } from '../check.js';
import { formatBytes, formatPercent } from '../format.js';
import { toMigrationName } from '../sql-text.js';

/** Btree indexes much larger than their entries need, fixed by rebuilding them concurrently. */
export const indexBloat: Check = {
  id: 'index-bloat',
  title: 'Index bloat',
  severities: { warning: 'estimated waste at least bloatRatio of the index and at least bloatMinSize' },
  requires: [],
  async run(ctx) {
    const estimates = await ctx.catalog.bloatEstimates();
    const reindex = ctx.capabilities.concurrentIndexes ? 'REINDEX INDEX CONCURRENTLY' : 'REINDEX INDEX';
    return estimates
      .filter(
        (e) =>
          e.kind === 'index' && e.ratio >= ctx.config.bloatRatio && e.wastedBytes >= ctx.config.bloatMinSize,
      )
      .map(
        (e): Finding => ({
          check: 'index-bloat',
          severity: 'warning',
          title: `${e.name} on ${e.table}: about ${formatBytes(e.wastedBytes)} of ${formatBytes(e.bytes)} is empty space (${formatPercent(e.ratio)})`,
          object: { type: 'index', name: e.name, table: e.table ?? '' },
          evidence: { ...e },
          recommendation: `Rebuild it with ${reindex} ${e.sqlName} (reads and writes continue meanwhile on a server).`,
          fix: {
            name: toMigrationName(`reindex_${e.name}`),
            up: `${reindex} ${e.sqlName};`,
            down: '',
            migration: false,
          },
        }),
      );
  },
};
