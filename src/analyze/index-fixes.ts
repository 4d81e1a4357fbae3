import { quoteQualified } from '../core/sql/quote.js';
import type { IndexInfo } from './catalog/indexes.js';
import type { FindingFix } from './check.js';
import { type CandidateIndex, indexDdl, indexNameFor } from './index-advisor/candidates.js';
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
  };
}

/** Builds a new btree index without blocking writes; the down migration drops it. */
export function createIndexFix(table: string, columns: string[]): FindingFix {
  const dot = table.indexOf('.');
  const candidate: CandidateIndex = {
    table,
    schema: table.slice(0, dot),
    tableName: table.slice(dot + 1),
    columns,
    key: `${table}(${columns.join(',')})`,
  };
  const name = indexNameFor(candidate);
  const { createSql, dropSql } = indexDdl(candidate, name);
  return { name: toMigrationName(`add_index_${name}`), up: createSql, down: dropSql, migration: true };
}
