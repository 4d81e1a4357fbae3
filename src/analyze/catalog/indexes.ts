import type { Database } from '../../core/db/index.js';
import { TAG } from '../sql-text.js';
import { isoOrNull, num, numOrNull, textArray, userRelationFilter, vector } from './values.js';

/** An index with its definition, key columns, size and usage. */
export interface IndexInfo {
  oid: number;
  schema: string;
  table: string;
  /** `schema.table`. */
  qualifiedTable: string;
  name: string;
  /** `schema.name`. */
  qualified: string;
  method: string;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  ready: boolean;
  /** Key columns as PostgreSQL prints them: column names, or expressions. */
  keyColumns: string[];
  /** Attribute numbers of the key columns (0 for an expression). */
  keyAttnums: number[];
  /** INCLUDE columns count (non-key). */
  includeCount: number;
  /** Operator class, collation and ordering options per key column, to compare indexes exactly. */
  keyOpclasses: number[];
  keyCollations: number[];
  keyOptions: number[];
  predicate: string | null;
  hasExpressions: boolean;
  /** `pg_get_indexdef`: the statement that re-creates it. */
  definition: string;
  bytes: number;
  relpages: number;
  reltuples: number;
  scans: number | null;
  /** PG16+: last index scan. */
  lastScan: string | null;
  /** The constraint it backs (primary key, unique, exclusion), if any. */
  constraintName: string | null;
  constraintType: 'p' | 'u' | 'x' | null;
  /** Created after the snapshot the counters are measured from (`--since`): its scans cover part of the window. */
  newInWindow?: boolean;
}

/** Loads every index on user tables in one query. */
export async function loadIndexes(db: Database): Promise<IndexInfo[]> {
  const lastScan = db.serverVersion >= 160000 ? 's.last_idx_scan' : 'null::timestamptz';
  const { rows } = await db.query<Record<string, unknown>>(
    `select ${TAG} i.indexrelid::int8 as oid, n.nspname as schema, t.relname as table_name, c.relname as name,
       am.amname as method, i.indisunique as is_unique, i.indisprimary as is_primary,
       i.indisvalid as is_valid, i.indisready as is_ready, i.indnatts, i.indnkeyatts,
       i.indkey::text as indkey, i.indclass::text as indclass, i.indcollation::text as indcollation,
       i.indoption::text as indoption, pg_get_expr(i.indpred, i.indrelid) as predicate,
       i.indexprs is not null as has_expressions, pg_get_indexdef(i.indexrelid) as definition,
       array(select pg_get_indexdef(i.indexrelid, k, true) from generate_series(1, i.indnkeyatts::int) k) as key_columns,
       pg_relation_size(i.indexrelid) as bytes, c.relpages::int8 as relpages, c.reltuples::float8 as reltuples,
       s.idx_scan, ${lastScan} as last_scan, con.conname as constraint_name, con.contype::text as constraint_type
     from pg_index i
     join pg_class c on c.oid = i.indexrelid
     join pg_class t on t.oid = i.indrelid
     join pg_namespace n on n.oid = t.relnamespace
     join pg_am am on am.oid = c.relam
     left join pg_stat_user_indexes s on s.indexrelid = i.indexrelid
     left join pg_constraint con on con.conindid = i.indexrelid and con.conrelid = i.indrelid
       and con.contype in ('p', 'u', 'x')
     where t.relkind in ('r', 'p', 'm') and ${userRelationFilter('t', 'n')}
     order by n.nspname, t.relname, c.relname`,
  );
  return rows.map((r) => {
    const keyCount = num(r.indnkeyatts);
    return {
      oid: num(r.oid),
      schema: String(r.schema),
      table: String(r.table_name),
      qualifiedTable: `${r.schema}.${r.table_name}`,
      name: String(r.name),
      qualified: `${r.schema}.${r.name}`,
      method: String(r.method),
      unique: r.is_unique === true,
      primary: r.is_primary === true,
      valid: r.is_valid === true,
      ready: r.is_ready === true,
      keyColumns: textArray(r.key_columns),
      keyAttnums: vector(r.indkey).slice(0, keyCount),
      includeCount: num(r.indnatts) - keyCount,
      keyOpclasses: vector(r.indclass).slice(0, keyCount),
      keyCollations: vector(r.indcollation).slice(0, keyCount),
      keyOptions: vector(r.indoption).slice(0, keyCount),
      predicate: r.predicate === null ? null : String(r.predicate),
      hasExpressions: r.has_expressions === true,
      definition: String(r.definition),
      bytes: num(r.bytes),
      relpages: num(r.relpages),
      reltuples: num(r.reltuples),
      scans: numOrNull(r.idx_scan),
      lastScan: isoOrNull(r.last_scan),
      constraintName: r.constraint_name === null ? null : String(r.constraint_name),
      constraintType: r.constraint_type === null ? null : (String(r.constraint_type) as 'p' | 'u' | 'x'),
    };
  });
}

/** Plain-column key of an index (no expressions), e.g. `['customer_id', 'created_at']`. */
export function plainKeyColumns(index: IndexInfo): string[] | undefined {
  return index.keyAttnums.every((n) => n > 0) ? index.keyColumns.map(unquoteIdent) : undefined;
}

/** `"Mixed Case"` → `Mixed Case`; plain names stay as they are. */
export function unquoteIdent(name: string): string {
  return name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
}
