import type { TableInfo } from '../catalog/tables.js';
import type { Check, Finding } from '../check.js';
import { formatPercent } from '../format.js';
import { TAG } from '../sql-text.js';

/**
 * How often table and index blocks were found in shared buffers rather than
 * read from the operating system (PgHero's threshold: 99%).
 */
export const cacheHitRatio: Check = {
  id: 'cache-hit-ratio',
  title: 'Cache hit ratio',
  severities: { warning: 'below cacheHitRatioMin, after at least cacheHitMinBlocks block accesses' },
  requires: ['statistics'],
  async run(ctx) {
    const tables = await ctx.catalog.tables();
    const { rows } = await ctx.db.query<{ shared_buffers: string }>(
      `select ${TAG} current_setting('shared_buffers') as shared_buffers`,
    );
    const findings: Finding[] = [];
    const kinds: {
      label: 'table' | 'index';
      hit: (t: TableInfo) => number;
      read: (t: TableInfo) => number;
    }[] = [
      { label: 'table', hit: (t) => t.heapBlocksHit, read: (t) => t.heapBlocksRead },
      { label: 'index', hit: (t) => t.indexBlocksHit, read: (t) => t.indexBlocksRead },
    ];
    for (const { label, hit, read } of kinds) {
      const hits = tables.reduce((sum, t) => sum + hit(t), 0);
      const reads = tables.reduce((sum, t) => sum + read(t), 0);
      if (hits + reads < ctx.config.cacheHitMinBlocks) continue;
      const ratio = hits / (hits + reads);
      if (ratio >= ctx.config.cacheHitRatioMin) continue;
      const topReaders = [...tables]
        .sort((a, b) => read(b) - read(a))
        .slice(0, 3)
        .filter((t) => read(t) > 0)
        .map((t) => ({ table: t.qualified, blocksRead: read(t) }));
      findings.push({
        check: 'cache-hit-ratio',
        severity: 'warning',
        title: `${label} cache hit ratio is ${formatPercent(ratio)} ${ctx.window.description} (below ${formatPercent(ctx.config.cacheHitRatioMin)})`,
        object: { type: 'database', name: ctx.capabilities.database },
        evidence: {
          kind: label,
          ratio: Math.round(ratio * 10000) / 10000,
          blocksHit: hits,
          blocksRead: reads,
          sharedBuffers: rows[0]?.shared_buffers,
          window: ctx.window.description,
          topReaders,
        },
        recommendation: `The working set does not fit in shared_buffers (${rows[0]?.shared_buffers}): index the tables read by large sequential scans (${topReaders.map((t) => t.table).join(', ') || 'see seq-scan-heavy'}), or give PostgreSQL more memory (shared_buffers about 25% of RAM).`,
      });
    }
    return findings;
  },
};
