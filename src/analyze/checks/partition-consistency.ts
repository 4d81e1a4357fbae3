import { quoteIdent, quoteQualified } from '../../core/sql/quote.js';
import type { ForeignKeyInfo } from '../catalog/foreign-keys.js';
import type { IndexInfo } from '../catalog/indexes.js';
import type { TableInfo } from '../catalog/tables.js';
import type { Check, Finding } from '../check.js';
import { identifierWithin63, toMigrationName } from '../sql-text.js';

/** Something a partition has: an index or a foreign key, keyed so that siblings' copies compare equal. */
interface Feature {
  key: string;
  label: string;
  /** SQL that gives it to a partition that lacks it. */
  sqlFor(partition: TableInfo): string;
}

function indexFeature(index: IndexInfo): Feature {
  const kind = index.primary ? 'primary key' : index.unique ? 'unique index' : 'index';
  const where = index.predicate ? ` WHERE ${index.predicate}` : '';
  const label = `${kind} ${index.method === 'btree' ? '' : `${index.method} `}(${index.keyColumns.join(', ')})${where}`;
  return {
    key: `i:${index.primary}:${index.unique}:${index.method}:${index.keyColumns.join(',')}:${index.predicate ?? ''}`,
    label,
    sqlFor(partition) {
      // The sibling's own definition, on this partition under a name of its own.
      const name = identifierWithin63(
        `${partition.name}_${index.keyColumns.join('_').replace(/\W+/g, '_')}_${index.unique ? 'key' : 'idx'}`,
      );
      const body = index.definition.replace(
        /^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+/,
        `CREATE $1INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(name)} ON ${quoteQualified(partition.schema, partition.name)}`,
      );
      return `${body};`;
    },
  };
}

function foreignKeyFeature(fk: ForeignKeyInfo): Feature {
  const cols = fk.columns.map(quoteIdent).join(', ');
  const refs = fk.refColumns.map(quoteIdent).join(', ');
  return {
    key: `f:${fk.columns.join(',')}:${fk.qualifiedRefTable}:${fk.refColumns.join(',')}`,
    label: `foreign key (${fk.columns.join(', ')}) → ${fk.qualifiedRefTable}`,
    sqlFor: (partition) =>
      `ALTER TABLE ${quoteQualified(partition.schema, partition.name)} ADD FOREIGN KEY (${cols}) REFERENCES ${quoteQualified(fk.refSchema, fk.refTable)} (${refs});`,
  };
}

/**
 * Partitions that lack an index or a foreign key their siblings have
 * (created by hand on each partition, then forgotten on a new one): queries
 * that the index serves on the other partitions scan this one, and rows of
 * this one are not checked. What is on every partition (an index or key of
 * the partitioned table itself) is consistent by construction; something
 * on only one partition is taken as deliberate.
 */
export const partitionConsistency: Check = {
  id: 'partition-consistency',
  title: 'Partitions that differ from their siblings',
  severities: {
    warning: 'a partition lacks an index or foreign key that at least two of its sibling partitions have',
  },
  requires: [],
  async run(ctx) {
    const [tables, indexes, fks] = await Promise.all([
      ctx.catalog.tables(),
      ctx.catalog.indexes(),
      ctx.catalog.foreignKeys(),
    ]);
    const features = new Map<string, Map<string, Feature>>();
    const add = (table: string, f: Feature) =>
      features.set(table, (features.get(table) ?? new Map()).set(f.key, f));
    for (const i of indexes) if (i.valid) add(i.qualifiedTable, indexFeature(i));
    for (const fk of fks) add(fk.qualifiedTable, foreignKeyFeature(fk));
    const children = new Map<string, TableInfo[]>();
    for (const t of tables)
      if (t.isPartition && t.parent) children.set(t.parent, [...(children.get(t.parent) ?? []), t]);
    const findings: Finding[] = [];
    for (const [parent, partitions] of children) {
      if (partitions.length < 3) continue;
      const counts = new Map<string, { feature: Feature; on: number }>();
      for (const p of partitions)
        for (const f of features.get(p.qualified)?.values() ?? []) {
          const seen = counts.get(f.key);
          counts.set(f.key, { feature: f, on: (seen?.on ?? 0) + 1 });
        }
      for (const p of partitions) {
        const own = features.get(p.qualified) ?? new Map<string, Feature>();
        const missing = [...counts.values()].filter(
          ({ feature, on }) => on >= 2 && on < partitions.length && !own.has(feature.key),
        );
        if (missing.length === 0) continue;
        const sql = missing.map(({ feature }) => feature.sqlFor(p));
        findings.push({
          check: 'partition-consistency',
          severity: 'warning',
          title: `${p.qualified} lacks ${missing.map(({ feature }) => feature.label).join(', ')} that its sibling partitions of ${parent} have`,
          object: { type: 'table', name: p.qualified },
          evidence: {
            partitionedTable: parent,
            partitions: partitions.length,
            missing: missing.map(({ feature, on }) => ({ what: feature.label, siblingsWithIt: on })),
          },
          recommendation: `Give ${p.qualified} what its siblings have; better, create the index or key on ${parent} itself (then every partition, new ones included, gets it).`,
          fix: {
            name: toMigrationName(`align_partition_${p.name}`),
            up: sql.join('\n'),
            down: '',
            migration: false,
          },
        });
      }
    }
    return findings;
  },
};
