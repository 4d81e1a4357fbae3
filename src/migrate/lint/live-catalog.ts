import type { Database } from '../../core/db/database.js';

/** Size and activity of a table in the live database. */
export interface LiveTable {
  /** `schema.name`. */
  key: string;
  /** Estimated rows: `pg_class.reltuples` (or `n_live_tup` when the table was never analyzed). */
  rows: number;
  /** Heap, indexes and TOAST, in bytes, as of the last VACUUM/ANALYZE (`relpages`). */
  bytes: number;
  /** Sequential and index scans since the statistics were reset. */
  scans: number;
  /** Rows inserted, updated and deleted since the statistics were reset. */
  writes: number;
}

/** A column as the live database has it. */
export interface LiveColumn {
  /** `format_type`, e.g. `character varying(20)`. */
  type: string;
  notNull: boolean;
}

/** What lint knows about the live database: read once, before the rules run. */
export interface LiveCatalog {
  /** `server_version_num`. */
  serverVersion: number;
  /** Tables that exist, by `schema.name`, with their size and activity. */
  tables: ReadonlyMap<string, LiveTable>;
  /** Columns by `schema.name` then column name. */
  columns: ReadonlyMap<string, ReadonlyMap<string, LiveColumn>>;
  /** `schema.name.column` of columns with a validated `CHECK (column IS NOT NULL)`. */
  notNullChecks: ReadonlySet<string>;
  /** `schema.name` of indexes that exist (and are valid), with `unique` and their table. */
  indexes: ReadonlyMap<string, { table: string; unique: boolean }>;
  /** Function name → its most volatile overload: `v`, `s` or `i`. */
  functions: ReadonlyMap<string, 'v' | 's' | 'i'>;
}

/**
 * Reads, in a few catalog queries, what the lint rules need to know about
 * the tables and functions a set of migrations names: size (`reltuples`, and
 * `relpages` of the table, its indexes and TOAST), activity
 * (`pg_stat_user_tables`), column types, validated NOT NULL checks, indexes,
 * and function volatility. It reads the catalog only and opens no table:
 * `pg_total_relation_size` would take ACCESS SHARE on each, and wait behind a
 * migration that holds ACCESS EXCLUSIVE (the very situation lint runs in
 * during `up`).
 */
export async function loadLiveCatalog(
  db: Database,
  wanted: { tables: readonly string[]; functions: readonly string[] },
): Promise<LiveCatalog> {
  const tables = new Map<string, LiveTable>();
  const columns = new Map<string, Map<string, LiveColumn>>();
  const notNullChecks = new Set<string>();
  const indexes = new Map<string, { table: string; unique: boolean }>();
  const functions = new Map<string, 'v' | 's' | 'i'>();
  const keys = [...new Set(wanted.tables)];
  if (keys.length > 0) {
    const { rows } = await db.query<{
      key: string;
      relkind: string;
      reltuples: string;
      live: string | null;
      bytes: string;
      scans: string | null;
      writes: string | null;
    }>(
      `select n.nspname || '.' || c.relname as key, c.relkind::text as relkind,
              c.reltuples::text as reltuples, s.n_live_tup::text as live,
              ((c.relpages::bigint
                + coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid
                             where x.indrelid = c.oid), 0)
                + coalesce((select t.relpages from pg_class t where t.oid = c.reltoastrelid), 0))
               * current_setting('block_size')::bigint)::text as bytes,
              (coalesce(s.seq_scan, 0) + coalesce(s.idx_scan, 0))::text as scans,
              (coalesce(s.n_tup_ins, 0) + coalesce(s.n_tup_upd, 0) + coalesce(s.n_tup_del, 0))::text as writes
         from pg_class c
         join pg_namespace n on n.oid = c.relnamespace
         left join pg_stat_user_tables s on s.relid = c.oid
        where n.nspname || '.' || c.relname = any($1::text[]) and c.relkind in ('r', 'p', 'm', 'v', 'f', 'i', 'I')`,
      [keys],
    );
    for (const row of rows) {
      if (row.relkind === 'i' || row.relkind === 'I') continue;
      // reltuples is -1 for a table never vacuumed or analyzed (PostgreSQL 14+), 0 before.
      const estimated = Number(row.reltuples);
      const live = row.live === null ? 0 : Number(row.live);
      tables.set(row.key, {
        key: row.key,
        rows: Math.round(estimated > 0 ? estimated : live),
        bytes: Number(row.bytes),
        scans: Number(row.scans ?? 0),
        writes: Number(row.writes ?? 0),
      });
    }
    const cols = await db.query<{ key: string; name: string; type: string; notnull: boolean }>(
      `select n.nspname || '.' || c.relname as key, a.attname::text as name,
              format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull
         from pg_attribute a
         join pg_class c on c.oid = a.attrelid
         join pg_namespace n on n.oid = c.relnamespace
        where n.nspname || '.' || c.relname = any($1::text[]) and a.attnum > 0 and not a.attisdropped`,
      [keys],
    );
    for (const row of cols.rows) {
      const map = columns.get(row.key) ?? new Map<string, LiveColumn>();
      map.set(row.name, { type: row.type, notNull: row.notnull });
      columns.set(row.key, map);
    }
    const checks = await db.query<{ key: string; def: string }>(
      `select n.nspname || '.' || c.relname as key, pg_get_constraintdef(k.oid) as def
         from pg_constraint k
         join pg_class c on c.oid = k.conrelid
         join pg_namespace n on n.oid = c.relnamespace
        where k.contype = 'c' and k.convalidated and n.nspname || '.' || c.relname = any($1::text[])`,
      [keys],
    );
    for (const row of checks.rows) {
      // pg_get_constraintdef prints `CHECK ((col IS NOT NULL))` (or with a quoted name).
      const match = /^CHECK \(\(("(?:[^"]|"")+"|[^\s()]+) IS NOT NULL\)\)( NOT VALID)?$/.exec(row.def);
      if (match && !match[2]) {
        const column = match[1]!.startsWith('"') ? match[1]!.slice(1, -1).replace(/""/g, '"') : match[1]!;
        notNullChecks.add(`${row.key}.${column}`);
      }
    }
    const idx = await db.query<{ key: string; table: string; unique: boolean }>(
      `select n.nspname || '.' || ic.relname as key, n.nspname || '.' || tc.relname as table, i.indisunique as unique
         from pg_index i
         join pg_class ic on ic.oid = i.indexrelid
         join pg_class tc on tc.oid = i.indrelid
         join pg_namespace n on n.oid = ic.relnamespace
        where i.indisvalid and n.nspname || '.' || tc.relname = any($1::text[])`,
      [keys],
    );
    for (const row of idx.rows) indexes.set(row.key, { table: row.table, unique: row.unique });
  }
  const names = [...new Set(wanted.functions)];
  if (names.length > 0) {
    const { rows } = await db.query<{ name: string; volatility: 'v' | 's' | 'i' }>(
      `select proname::text as name,
              case when bool_or(provolatile = 'v') then 'v' when bool_or(provolatile = 's') then 's' else 'i' end as volatility
         from pg_proc where proname = any($1::text[]) group by proname`,
      [names],
    );
    for (const row of rows) functions.set(row.name, row.volatility);
  }
  return { serverVersion: db.serverVersion, tables, columns, notNullChecks, indexes, functions };
}
