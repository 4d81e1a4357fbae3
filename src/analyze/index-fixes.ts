import { quoteQualified } from '../core/sql/quote.js';
import type { IndexInfo } from './catalog/indexes.js';
import type { FindingFix } from './check.js';
import { indexDdl, indexNameFor, makeCandidate } from './index-advisor/candidates.js';
import { toMigrationName } from './sql-text.js';

/** `pg_get_indexdef` output turned into a build that does not block writes and tolerates a re-run. */
export function concurrentDefinition(definition: string): string {
  return `${definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY IF NOT EXISTS ')};`;
}

/** Drops an index without blocking writes; the down migration builds it again exactly as it was. */
export function dropIndexFix(index: IndexInfo): FindingFix {
  return {
    name: toMigrationName(`drop_index_${index.name}`),
    up: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteQualified(index.schema, index.name)};`,
    down: concurrentDefinition(index.definition),
    migration: true,
    dropsIndex: index.qualified,
  };
}

/**
 * Builds a new btree index on a foreign key's columns without blocking
 * writes; the down migration drops it. `analyzeDatabase` plans it with the
 * run's other fixes (folded into a wider index that starts with the same
 * columns; ON ONLY + per partition on a partitioned table).
 */
export function createIndexFix(table: string, columns: string[]): FindingFix {
  const candidate = makeCandidate(table, columns);
  const name = indexNameFor(candidate);
  const { createSql, dropSql } = indexDdl(candidate, name);
  return {
    name: toMigrationName(`add_index_${name}`),
    up: createSql,
    down: dropSql,
    migration: true,
    createsIndex: { candidate, name, anyOrder: true },
  };
}
