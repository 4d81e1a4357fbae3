import type { IndexInfo } from '../catalog/indexes.js';
import type { Check, Finding } from '../check.js';
import { formatBytes } from '../format.js';
import { dropIndexFix } from '../index-fixes.js';

/** Whether `a`'s key is the same as `b`'s, or (btree) a leading prefix of it, column by column. */
function keyIsPrefix(a: IndexInfo, b: IndexInfo): boolean {
  if (a.keyColumns.length > b.keyColumns.length) return false;
  if (a.method !== 'btree' && a.keyColumns.length !== b.keyColumns.length) return false;
  return a.keyColumns.every(
    (column, i) =>
      column === b.keyColumns[i] &&
      a.keyOpclasses[i] === b.keyOpclasses[i] &&
      a.keyCollations[i] === b.keyCollations[i] &&
      a.keyOptions[i] === b.keyOptions[i],
  );
}

/**
 * The index that makes `index` redundant, if any: same method and
 * predicate, and a key that starts with `index`'s whole key. A unique or
 * constraint index is only redundant next to an identical one that also
 * enforces it.
 */
export function coveringIndex(index: IndexInfo, all: readonly IndexInfo[]): IndexInfo | undefined {
  if (!index.valid || index.primary || index.constraintName || index.includeCount > 0) return undefined;
  return all.find((other) => {
    if (other.oid === index.oid || !other.valid || other.qualifiedTable !== index.qualifiedTable)
      return false;
    if (other.method !== index.method || other.predicate !== index.predicate) return false;
    if (!keyIsPrefix(index, other)) return false;
    if (other.keyColumns.length > index.keyColumns.length) return !index.unique;
    // Two identical keys: keep the one backing a constraint, then the unique one, then the first by name.
    if (other.constraintName) return true;
    if (index.unique !== other.unique) return other.unique;
    return index.name > other.name;
  });
}

/** Indexes made redundant by another index with the same or a longer key (PgHero's check, column-exact). */
export const duplicateIndex: Check = {
  id: 'duplicate-index',
  title: 'Duplicate and redundant indexes',
  severities: { warning: 'another index has the same key, or a key that starts with this one' },
  requires: [],
  async run(ctx) {
    const indexes = await ctx.catalog.indexes();
    const findings: Finding[] = [];
    for (const index of indexes) {
      const cover = coveringIndex(index, indexes);
      if (!cover) continue;
      const same = cover.keyColumns.length === index.keyColumns.length;
      findings.push({
        check: 'duplicate-index',
        severity: 'warning',
        title: `${index.qualified} is ${same ? 'a duplicate of' : 'a prefix of'} ${cover.qualified}`,
        object: { type: 'index', name: index.qualified, table: index.qualifiedTable },
        evidence: {
          definition: index.definition,
          coveredBy: cover.definition,
          bytes: index.bytes,
          scans: index.scans,
        },
        recommendation: `Drop ${index.qualified} (${formatBytes(index.bytes)}): ${cover.qualified} serves the same lookups.`,
        fix: dropIndexFix(index),
      });
    }
    return findings;
  },
};
