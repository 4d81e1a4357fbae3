import type { ForeignKeyInfo } from '../catalog/foreign-keys.js';
import type { Check, Finding } from '../check.js';
import { formatBytes } from '../format.js';
import { dropIndexFix } from '../index-fixes.js';
import { indexSupportsForeignKey } from './missing-fk-index.js';

/**
 * Indexes never scanned in the statistics window (since the `--since`
 * snapshot, or the last reset): they cost disk, memory and time on every
 * write. Every one is reported, the small ones as info. Indexes that
 * enforce a constraint or support a foreign key are kept out (dropping them
 * would break a rule or slow deletes on the referenced table), and so are
 * indexes created after the snapshot (their counters cover part of the
 * window only).
 */
export const unusedIndex: Check = {
  id: 'unused-index',
  title: 'Unused indexes',
  severities: {
    warning: 'no scans in the statistics window, and at least unusedIndexMinSize',
    info: 'no scans in the statistics window, smaller than unusedIndexMinSize',
  },
  requires: ['stats_age'],
  async run(ctx) {
    const [indexes, fks] = await Promise.all([ctx.catalog.indexes(), ctx.catalog.foreignKeys()]);
    const fksByTable = new Map<string, ForeignKeyInfo[]>();
    for (const fk of fks)
      fksByTable.set(fk.qualifiedTable, [...(fksByTable.get(fk.qualifiedTable) ?? []), fk]);
    const findings: Finding[] = [];
    for (const index of indexes) {
      if (index.unique || index.primary || index.constraintName || !index.valid) continue;
      if (index.scans === null || index.scans > 0 || index.newInWindow) continue;
      if ((fksByTable.get(index.qualifiedTable) ?? []).some((fk) => indexSupportsForeignKey(index, fk)))
        continue;
      findings.push({
        check: 'unused-index',
        severity: index.bytes < ctx.config.unusedIndexMinSize ? 'info' : 'warning',
        title: `${index.qualified} on ${index.qualifiedTable} has not been scanned ${ctx.window.description} (${formatBytes(index.bytes)})`,
        object: { type: 'index', name: index.qualified, table: index.qualifiedTable },
        evidence: {
          scans: index.scans,
          bytes: index.bytes,
          definition: index.definition,
          ...(index.lastScan ? { lastScan: index.lastScan } : {}),
          statsReset: ctx.capabilities.statsReset,
          window: ctx.window.description,
        },
        recommendation: `Drop ${index.qualified} if no replica or rare job uses it (scans on replicas are not counted here); the down migration re-creates it.`,
        fix: dropIndexFix(index),
      });
    }
    return findings;
  },
};
