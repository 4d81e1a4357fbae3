import type { Database } from '../../core/db/index.js';
import { TAG } from '../sql-text.js';
import { textArray, userRelationFilter, vector } from './values.js';

/** A foreign key: the referencing columns and the table they point to. */
export interface ForeignKeyInfo {
  name: string;
  schema: string;
  table: string;
  qualifiedTable: string;
  columns: string[];
  attnums: number[];
  refSchema: string;
  refTable: string;
  qualifiedRefTable: string;
  refColumns: string[];
  validated: boolean;
}

/** Loads every foreign key between user tables. */
export async function loadForeignKeys(db: Database): Promise<ForeignKeyInfo[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `select ${TAG} con.conname as name, n.nspname as schema, t.relname as table_name,
       con.conkey::text as conkey, con.convalidated as validated,
       array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord)
             join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord) as columns,
       rn.nspname as ref_schema, rt.relname as ref_table,
       array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, ord)
             join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord) as ref_columns
     from pg_constraint con
     join pg_class t on t.oid = con.conrelid
     join pg_namespace n on n.oid = t.relnamespace
     join pg_class rt on rt.oid = con.confrelid
     join pg_namespace rn on rn.oid = rt.relnamespace
     where con.contype = 'f' and ${userRelationFilter('t', 'n')}
     order by n.nspname, t.relname, con.conname`,
  );
  return rows.map((r) => ({
    name: String(r.name),
    schema: String(r.schema),
    table: String(r.table_name),
    qualifiedTable: `${r.schema}.${r.table_name}`,
    columns: textArray(r.columns),
    attnums: vector(String(r.conkey).replace(/[{}]/g, '').replace(/,/g, ' ')),
    refSchema: String(r.ref_schema),
    refTable: String(r.ref_table),
    qualifiedRefTable: `${r.ref_schema}.${r.ref_table}`,
    refColumns: textArray(r.ref_columns),
    validated: r.validated === true,
  }));
}

/** A table column with its type, for resolving unqualified column names and choosing index types. */
export interface ColumnInfo {
  schema: string;
  table: string;
  name: string;
  type: string;
  notNull: boolean;
}

/** Loads the columns of all user tables. */
export async function loadColumns(db: Database): Promise<ColumnInfo[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `select ${TAG} n.nspname as schema, c.relname as table_name, a.attname as name,
       format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null
     from pg_attribute a
     join pg_class c on c.oid = a.attrelid
     join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p', 'm') and a.attnum > 0 and not a.attisdropped and ${userRelationFilter('c', 'n')}`,
  );
  return rows.map((r) => ({
    schema: String(r.schema),
    table: String(r.table_name),
    name: String(r.name),
    type: String(r.type),
    notNull: r.not_null === true,
  }));
}
