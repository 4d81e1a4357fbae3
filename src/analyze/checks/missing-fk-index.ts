import type { ForeignKeyInfo } from '../catalog/foreign-keys.js';
import type { IndexInfo } from '../catalog/indexes.js';
import { plainKeyColumns } from '../catalog/indexes.js';
import type { Check, Finding } from '../check.js';
import { createIndexFix } from '../index-fixes.js';

/** Below this many rows a missing index on a foreign key costs little. */
const SMALL_TABLE_ROWS = 1000;

/** Whether an index's leading columns are exactly the foreign key's columns (in any order). */
export function indexSupportsForeignKey(index: IndexInfo, fk: ForeignKeyInfo): boolean {
  if (!index.valid || index.predicate || index.qualifiedTable !== fk.qualifiedTable) return false;
  if (index.method !== 'btree' && index.method !== 'hash') return false;
  const keys = plainKeyColumns(index);
  if (!keys || keys.length < fk.columns.length) return false;
  const leading = new Set(keys.slice(0, fk.columns.length));
  return fk.columns.every((c) => leading.has(c));
}

/**
 * Foreign keys whose referencing columns have no index: every delete or key
 * update on the referenced table scans the whole referencing table, and
 * joins along the key cannot use an index. PgHero has no such check.
 */
export const missingFkIndex: Check = {
  id: 'missing-fk-index',
  title: 'Foreign keys without an index',
  severities: {
    warning: `the referencing table has ${SMALL_TABLE_ROWS} rows or more`,
    info: 'a smaller referencing table',
  },
  requires: [],
  async run(ctx) {
    const [fks, indexes, tables] = await Promise.all([
      ctx.catalog.foreignKeys(),
      ctx.catalog.indexes(),
      ctx.catalog.tableMap(),
    ]);
    const byTable = new Map<string, IndexInfo[]>();
    for (const index of indexes)
      byTable.set(index.qualifiedTable, [...(byTable.get(index.qualifiedTable) ?? []), index]);
    const findings: Finding[] = [];
    for (const fk of fks) {
      if ((byTable.get(fk.qualifiedTable) ?? []).some((index) => indexSupportsForeignKey(index, fk)))
        continue;
      const table = tables.get(fk.qualifiedTable);
      const rows = Math.max(table?.liveRows ?? 0, table?.reltuples ?? 0);
      findings.push({
        check: 'missing-fk-index',
        severity: rows >= SMALL_TABLE_ROWS ? 'warning' : 'info',
        title: `${fk.qualifiedTable}(${fk.columns.join(', ')}) references ${fk.qualifiedRefTable} but has no index`,
        object: { type: 'constraint', name: fk.name, table: fk.qualifiedTable },
        evidence: {
          constraint: fk.name,
          columns: fk.columns,
          references: `${fk.qualifiedRefTable}(${fk.refColumns.join(', ')})`,
          rows,
          seqScans: table?.seqScan ?? 0,
        },
        recommendation: `Index ${fk.qualifiedTable}(${fk.columns.join(', ')}): deletes and key updates on ${fk.qualifiedRefTable} and joins on this key otherwise scan the whole table.`,
        fix: createIndexFix(fk.qualifiedTable, fk.columns),
      });
    }
    return findings;
  },
};
