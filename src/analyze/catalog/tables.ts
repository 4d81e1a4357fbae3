import type { Database } from '../../core/db/index.js';
import { TAG } from '../sql-text.js';
import { isoOrNull, num, numOrNull, textArray, userRelationFilter } from './values.js';

/** A user table with its size, usage counters and maintenance history. */
export interface TableInfo {
  oid: number;
  schema: string;
  name: string;
  /** `schema.name` for display. */
  qualified: string;
  relkind: 'r' | 'p' | 'm';
  isPartition: boolean;
  /** For a partition: its parent table (`schema.name`). */
  parent: string | null;
  /** Planner's row estimate (`reltuples`); -1 when never vacuumed or analyzed (PG14+). */
  reltuples: number;
  relpages: number;
  tableBytes: number;
  totalBytes: number;
  liveRows: number;
  deadRows: number;
  seqScan: number;
  seqTupRead: number;
  idxScan: number | null;
  inserts: number;
  updates: number;
  deletes: number;
  hotUpdates: number;
  modifiedSinceAnalyze: number;
  lastVacuum: string | null;
  lastAutovacuum: string | null;
  lastAnalyze: string | null;
  lastAutoanalyze: string | null;
  /** PG16+: when the table was last read by a sequential scan. */
  lastSeqScan: string | null;
  xidAge: number;
  mxidAge: number;
  hasPrimaryKey: boolean;
  options: string[];
  heapBlocksRead: number;
  heapBlocksHit: number;
  indexBlocksRead: number;
  indexBlocksHit: number;
  /** Created after the snapshot the counters are measured from (`--since`). */
  newInWindow?: boolean;
}

/** Loads every user table in one query (fast on databases with thousands of tables). */
export async function loadTables(db: Database): Promise<TableInfo[]> {
  // last_seq_scan exists from PostgreSQL 16 on.
  const lastSeqScan = db.serverVersion >= 160000 ? 's.last_seq_scan' : 'null::timestamptz';
  const { rows } = await db.query<Record<string, unknown>>(
    `select ${TAG} c.oid::int8 as oid, n.nspname as schema, c.relname as name, c.relkind::text as relkind,
       c.relispartition as is_partition,
       (select format('%s.%s', pn.nspname, p.relname) from pg_inherits i join pg_class p on p.oid = i.inhparent
          join pg_namespace pn on pn.oid = p.relnamespace where i.inhrelid = c.oid and c.relispartition) as parent,
       c.reltuples::float8 as reltuples, c.relpages::int8 as relpages,
       pg_table_size(c.oid) as table_bytes, pg_total_relation_size(c.oid) as total_bytes,
       s.n_live_tup, s.n_dead_tup, s.seq_scan, s.seq_tup_read, s.idx_scan,
       s.n_tup_ins, s.n_tup_upd, s.n_tup_del, s.n_tup_hot_upd, s.n_mod_since_analyze,
       s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze, ${lastSeqScan} as last_seq_scan,
       greatest(age(c.relfrozenxid), coalesce(age(t.relfrozenxid), 0)) as xid_age,
       greatest(mxid_age(c.relminmxid), coalesce(mxid_age(t.relminmxid), 0)) as mxid_age,
       exists (select 1 from pg_constraint p where p.conrelid = c.oid and p.contype = 'p') as has_pk,
       coalesce(c.reloptions, '{}') as options,
       io.heap_blks_read, io.heap_blks_hit, io.idx_blks_read, io.idx_blks_hit
     from pg_class c
     join pg_namespace n on n.oid = c.relnamespace
     left join pg_class t on t.oid = c.reltoastrelid
     left join pg_stat_user_tables s on s.relid = c.oid
     left join pg_statio_user_tables io on io.relid = c.oid
     where c.relkind in ('r', 'p', 'm') and ${userRelationFilter('c', 'n')}
     order by n.nspname, c.relname`,
  );
  return rows.map((r) => ({
    oid: num(r.oid),
    schema: String(r.schema),
    name: String(r.name),
    qualified: `${r.schema}.${r.name}`,
    relkind: String(r.relkind) as TableInfo['relkind'],
    isPartition: r.is_partition === true,
    parent: r.parent === null || r.parent === undefined ? null : String(r.parent),
    reltuples: num(r.reltuples),
    relpages: num(r.relpages),
    tableBytes: num(r.table_bytes),
    totalBytes: num(r.total_bytes),
    liveRows: num(r.n_live_tup),
    deadRows: num(r.n_dead_tup),
    seqScan: num(r.seq_scan),
    seqTupRead: num(r.seq_tup_read),
    idxScan: numOrNull(r.idx_scan),
    inserts: num(r.n_tup_ins),
    updates: num(r.n_tup_upd),
    deletes: num(r.n_tup_del),
    hotUpdates: num(r.n_tup_hot_upd),
    modifiedSinceAnalyze: num(r.n_mod_since_analyze),
    lastVacuum: isoOrNull(r.last_vacuum),
    lastAutovacuum: isoOrNull(r.last_autovacuum),
    lastAnalyze: isoOrNull(r.last_analyze),
    lastAutoanalyze: isoOrNull(r.last_autoanalyze),
    lastSeqScan: isoOrNull(r.last_seq_scan),
    xidAge: num(r.xid_age),
    mxidAge: num(r.mxid_age),
    hasPrimaryKey: r.has_pk === true,
    options: textArray(r.options),
    heapBlocksRead: num(r.heap_blks_read),
    heapBlocksHit: num(r.heap_blks_hit),
    indexBlocksRead: num(r.idx_blks_read),
    indexBlocksHit: num(r.idx_blks_hit),
  }));
}
