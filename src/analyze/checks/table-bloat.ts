import type { Check, Finding } from '../check.js';
import { formatBytes, formatPercent } from '../format.js';
import { toMigrationName } from '../sql-text.js';

/**
 * Tables much larger than their rows need (space left by deleted and
 * updated rows that VACUUM freed but did not return): slower sequential
 * scans and a colder cache.
 */
export const tableBloat: Check = {
  id: 'table-bloat',
  title: 'Table bloat',
  severities: { warning: 'estimated waste at least bloatRatio of the table and at least bloatMinSize' },
  requires: [],
  async run(ctx) {
    const estimates = await ctx.catalog.bloatEstimates();
    return estimates
      .filter(
        (e) =>
          e.kind === 'table' && e.ratio >= ctx.config.bloatRatio && e.wastedBytes >= ctx.config.bloatMinSize,
      )
      .map(
        (e): Finding => ({
          check: 'table-bloat',
          severity: 'warning',
          title: `${e.name}: about ${formatBytes(e.wastedBytes)} of ${formatBytes(e.bytes)} is empty space (${formatPercent(e.ratio)})`,
          object: { type: 'table', name: e.name },
          evidence: { ...e },
          recommendation: `Rewrite ${e.name} to return the space: pg_repack (no long lock) or VACUUM FULL (locks the table while it runs). Then check why it bloated (autovacuum too slow, long transactions).`,
          fix: {
            name: toMigrationName(`vacuum_full_${e.name}`),
            up: `VACUUM (FULL, ANALYZE) ${e.sqlName};`,
            down: '',
            migration: false,
          },
        }),
      );
  },
};
