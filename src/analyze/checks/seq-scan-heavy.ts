import type { Check, Finding } from '../check.js';
import { formatPercent } from '../format.js';

/**
 * Large tables read mostly by sequential scans (PgHero's "missing indexes"
 * view): each scan reads every row. The missing-index findings say which
 * index would help, when pg_stat_statements is there.
 */
export const seqScanHeavy: Check = {
  id: 'seq-scan-heavy',
  title: 'Large tables read by sequential scans',
  severities: {
    warning:
      'at least seqScanMinRows rows, seqScanMinScans sequential scans in the statistics window, and under seqScanMaxIndexShare of scans using an index',
  },
  requires: ['stats_age'],
  async run(ctx) {
    const { seqScanMinRows, seqScanMinScans, seqScanMaxIndexShare } = ctx.config;
    const findings: Finding[] = [];
    for (const t of await ctx.catalog.tables()) {
      const idx = t.idxScan ?? 0;
      if (t.liveRows < seqScanMinRows || t.seqScan < seqScanMinScans) continue;
      const share = idx / (idx + t.seqScan);
      if (share >= seqScanMaxIndexShare) continue;
      findings.push({
        check: 'seq-scan-heavy',
        severity: 'warning',
        title: `${t.qualified}: ${t.seqScan} sequential scans over ${t.liveRows} rows ${ctx.window.description}; ${formatPercent(share)} of scans use an index`,
        object: { type: 'table', name: t.qualified },
        evidence: {
          rows: t.liveRows,
          seqScans: t.seqScan,
          rowsReadBySeqScans: t.seqTupRead,
          rowsPerSeqScan: Math.round(t.seqTupRead / t.seqScan),
          indexScans: idx,
          indexShare: Math.round(share * 1000) / 1000,
          window: ctx.window.description,
          ...(t.lastSeqScan ? { lastSeqScan: t.lastSeqScan } : {}),
        },
        recommendation: `Find the statements that scan ${t.qualified} (slow-query, missing-index findings, or tenon db suggest-indexes) and index what they filter on.`,
      });
    }
    return findings;
  },
};
