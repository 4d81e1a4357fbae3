import { quoteIdent, quoteQualified } from '../../core/sql/quote.js';
import type { ColumnInfo } from '../catalog/foreign-keys.js';
import { type IndexInfo, plainKeyColumns } from '../catalog/indexes.js';
import type { QueryShape } from '../query-shape.js';
import { identifierWithin63 } from '../sql-text.js';

/** A btree index that might help: a table and one or two columns in order. */
export interface CandidateIndex {
  /** `schema.table`. */
  table: string;
  schema: string;
  tableName: string;
  columns: string[];
  key: string;
}

/** Types a btree index cannot usefully serve. */
const NOT_BTREE = /^(json|jsonb|xml|point|line|lseg|box|path|polygon|circle|tsvector|tsquery)\b|\[\]$/;

/** Candidate key for deduplication. */
export function candidateKey(table: string, columns: readonly string[]): string {
  return `${table}(${columns.join(',')})`;
}

function makeCandidate(table: string, columns: string[]): CandidateIndex {
  const dot = table.indexOf('.');
  return {
    table,
    schema: table.slice(0, dot),
    tableName: table.slice(dot + 1),
    columns,
    key: candidateKey(table, columns),
  };
}

/**
 * Single- and two-column candidates for one statement, derived from its
 * parse tree: every column it filters, joins or sorts on alone, and each
 * equality column followed by another filtered or sorted column (equality
 * first is the order a btree can use for both).
 */
export function candidatesFor(shape: QueryShape, columns: Map<string, ColumnInfo>): CandidateIndex[] {
  const out: CandidateIndex[] = [];
  const byTable = new Map<string, QueryShape['uses']>();
  for (const use of shape.uses) {
    const type = columns.get(`${use.table}.${use.column}`)?.type;
    if (!type || NOT_BTREE.test(type)) continue;
    byTable.set(use.table, [...(byTable.get(use.table) ?? []), use]);
  }
  for (const [table, uses] of byTable) {
    const eq = unique(uses.filter((u) => u.kind === 'eq' || u.kind === 'join').map((u) => u.column));
    const range = unique(uses.filter((u) => u.kind === 'range').map((u) => u.column));
    const sort = unique(uses.filter((u) => u.kind === 'sort').map((u) => u.column));
    for (const column of unique([...eq, ...range, ...sort.slice(0, 1)]))
      out.push(makeCandidate(table, [column]));
    for (const first of eq) {
      for (const second of unique([...eq, ...range, ...sort.slice(0, 1)])) {
        if (second !== first) out.push(makeCandidate(table, [first, second]));
      }
    }
  }
  return out;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/**
 * Whether an existing valid btree index already starts with the candidate's
 * columns, so building the candidate would add nothing.
 */
export function coveredByExisting(
  candidate: CandidateIndex,
  indexes: readonly IndexInfo[],
): IndexInfo | undefined {
  return indexes.find((index) => {
    if (index.qualifiedTable !== candidate.table || index.method !== 'btree' || !index.valid) return false;
    if (index.predicate) return false;
    const keys = plainKeyColumns(index);
    return keys !== undefined && candidate.columns.every((column, i) => keys[i] === column);
  });
}

/** `orders_customer_id_idx`, kept within 63 bytes. */
export function indexNameFor(candidate: CandidateIndex): string {
  return identifierWithin63(`${candidate.tableName}_${candidate.columns.join('_')}_idx`);
}

/** The DDL that creates a recommended index without blocking writes, and the DDL that drops it. */
export function indexDdl(candidate: CandidateIndex, name: string): { createSql: string; dropSql: string } {
  const cols = candidate.columns.map(quoteIdent).join(', ');
  return {
    createSql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(name)} ON ${quoteQualified(candidate.schema, candidate.tableName)} (${cols});`,
    dropSql: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteQualified(candidate.schema, name)};`,
  };
}
