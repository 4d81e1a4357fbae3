import { quoteIdent, quoteQualified } from '../../core/sql/quote.js';
import { plainKeyColumns } from '../catalog/indexes.js';
import type { Check, Finding } from '../check.js';
import { toMigrationName } from '../sql-text.js';

/**
 * Tables without a primary key: rows cannot be addressed reliably, logical
 * replication cannot replicate their updates and deletes, and ORMs stumble.
 */
export const missingPrimaryKey: Check = {
  id: 'missing-primary-key',
  title: 'Tables without a primary key',
  severities: {
    warning: 'no primary key and no unique index on NOT NULL columns',
    info: 'no primary key, but a unique index on NOT NULL columns could become one',
  },
  requires: [],
  async run(ctx) {
    const [tables, indexes, columns] = await Promise.all([
      ctx.catalog.tables(),
      ctx.catalog.indexes(),
      ctx.catalog.columns(),
    ]);
    const notNull = new Set(columns.filter((c) => c.notNull).map((c) => `${c.schema}.${c.table}.${c.name}`));
    const findings: Finding[] = [];
    for (const t of tables) {
      if (t.hasPrimaryKey || t.isPartition || t.relkind === 'm') continue;
      const uniqueKey = indexes
        .filter((i) => i.qualifiedTable === t.qualified && i.unique && i.valid && !i.predicate)
        .map((i) => plainKeyColumns(i))
        .find((cols) => cols?.every((c) => notNull.has(`${t.qualified}.${c}`)));
      const table = quoteQualified(t.schema, t.name);
      findings.push({
        check: 'missing-primary-key',
        severity: uniqueKey ? 'info' : 'warning',
        title: `${t.qualified} has no primary key${uniqueKey ? ` (a unique key on ${uniqueKey.join(', ')} could be one)` : ''}`,
        object: { type: 'table', name: t.qualified },
        evidence: { rows: Math.max(t.liveRows, t.reltuples, 0), uniqueNotNullKey: uniqueKey ?? null },
        recommendation: uniqueKey
          ? `Promote the unique key: ALTER TABLE … ADD PRIMARY KEY USING INDEX.`
          : 'Add a primary key (a bigint identity column if there is no natural key).',
        fix: {
          name: toMigrationName(`add_primary_key_${t.name}`),
          up: uniqueKey
            ? `ALTER TABLE ${table} ADD PRIMARY KEY (${uniqueKey.map(quoteIdent).join(', ')});`
            : `ALTER TABLE ${table} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;`,
          down: '',
          migration: false,
        },
      });
    }
    return findings;
  },
};
