import type { ForeignKeyInfo } from '../catalog/foreign-keys.js';
import type { Check, Finding } from '../check.js';
import { formatBytes } from '../format.js';
import { dropIndexFix } from '../index-fixes.js';
import { indexSupportsForeignKey } from './missing-fk-index.js';

/**
 * Indexes never scanned since the statistics were reset: they cost disk,
 * memory and time on every write. Indexes that enforce a constraint or
 * support a foreign key are kept out (dropping them would break a rule or
 * slow deletes on the referenced table).
 */
export const unusedIndex: Check = {
  id: 'unused-index',
  title: 'Unused indexes',
  severities: { warning: 'no scans since the statistics were reset, and at least unusedIndexMinSize' },
  requires: ['stats_age'],
  async run(ctx) {
    const [indexes, fks] = await Promise.all([ctx.catalog.indexes(), ctx.catalog.foreignKeys()]);
    const fksByTable = new Map<string, ForeignKeyInfo[]>();
    for (const fk of fks)
      fksByTable.set(fk.qualifiedTable, [...(fksByTable.get(fk.qualifiedTable) ?? []), fk]);
    const findings: Finding[] = [];
    for (const index of indexes) {
      if (index.unique || index.primary || index.constraintName || !index.valid) continue;
      if (index.scans === null || index.scans > 0 || index.bytes < ctx.config.unusedIndexMinSize) continue;
      if ((fksByTable.get(index.qualifiedTable) ?? []).some((fk) => indexSupportsForeignKey(index, fk)))
        continue;
      findings.push({
        check: 'unused-index',
        severity: 'warning',
        title: `${index.qualified} on ${index.qualifiedTable} has never been scanned (${formatBytes(index.bytes)})`,
        object: { type: 'index', name: index.qualified, table: index.qualifiedTable },
        evidence: {
          scans: index.scans,
          bytes: index.bytes,
          definition: index.definition,
          ...(index.lastScan ? { lastScan: index.lastScan } : {}),
          statsReset: ctx.capabilities.statsReset,
        },
        recommendation: `Drop ${index.qualified} if no replica or rare job uses it (scans on replicas are not counted here); the down migration re-creates it.`,
        fix: dropIndexFix(index),
      });
    }
    return findings;
  },
};
