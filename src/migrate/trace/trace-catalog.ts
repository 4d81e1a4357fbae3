import type { Database } from '../../core/db/database.js';
import { LOCK_MODES, type LockMode } from '../lint/lock-model.js';

/** A relation of the shadow as `pg_class` has it. */
export interface RelationFile {
  oid: string;
  relfilenode: string;
  /** `schema.name`. */
  name: string;
  kind: RelationKind;
  /** The table an index belongs to (`schema.name`), for indexes. */
  table: string | undefined;
  rows: number;
  bytes: number;
}

/** What kind of relation a lock or rewrite is on. */
export type RelationKind = 'table' | 'index' | 'sequence' | 'view' | 'materialized view' | 'toast' | 'other';

function relationKind(relkind: string): RelationKind {
  switch (relkind) {
    case 'r':
    case 'p':
    case 'f':
      return 'table';
    case 'i':
    case 'I':
      return 'index';
    case 'S':
      return 'sequence';
    case 'v':
      return 'view';
    case 'm':
      return 'materialized view';
    case 't':
      return 'toast';
    default:
      return 'other';
  }
}

const USER_RELATIONS = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'`;

/**
 * The relations of the shadow with their file node, as the session sees them
 * (inside its own transaction: uncommitted changes included). A rewrite gives
 * a relation a new `relfilenode` under the same OID.
 */
export async function relationFiles(session: Database): Promise<Map<string, RelationFile>> {
  const { rows } = await session.query<{
    oid: string;
    relfilenode: string;
    name: string;
    relkind: string;
    table: string | null;
    rows: string;
    bytes: string;
  }>(
    `select c.oid::text as oid, c.relfilenode::text as relfilenode, n.nspname || '.' || c.relname as name,
            c.relkind::text as relkind,
            (select tn.nspname || '.' || t.relname from pg_index x join pg_class t on t.oid = x.indrelid
               join pg_namespace tn on tn.oid = t.relnamespace where x.indexrelid = c.oid) as table,
            greatest(c.reltuples, 0)::bigint::text as rows,
            (c.relpages::bigint * current_setting('block_size')::bigint)::text as bytes
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where ${USER_RELATIONS} and c.relkind in ('r', 'p', 'f', 'i', 'I', 'S', 'v', 'm')`,
  );
  return new Map(
    rows.map((r) => [
      r.oid,
      {
        oid: r.oid,
        relfilenode: r.relfilenode,
        name: r.name,
        kind: relationKind(r.relkind),
        table: r.table ?? undefined,
        rows: Number(r.rows),
        bytes: Number(r.bytes),
      },
    ]),
  );
}

/** One row of `pg_locks` for the traced backend, with the relation or object it is on. */
export interface ObservedLock {
  /** `schema.name`, `type mood`, or `relation 16423` when the observer cannot see it (uncommitted). */
  target: string;
  /** OID of the relation, when it is one. */
  oid: string | undefined;
  kind: RelationKind | 'object';
  mode: LockMode;
  granted: boolean;
  /** For an index: `schema.name` of its table. */
  table?: string | undefined;
}

/**
 * The relation and object locks a backend holds (or waits for), from
 * `pg_locks`, without the catalog's own relations and without transaction
 * and virtual-transaction locks.
 */
export async function locksOf(session: Database, pid: number): Promise<ObservedLock[]> {
  const { rows } = await session.query<{
    locktype: string;
    mode: string;
    granted: boolean;
    oid: string | null;
    name: string | null;
    relkind: string | null;
    nspname: string | null;
    object: string | null;
    table: string | null;
  }>(
    `select l.locktype, l.mode, l.granted, l.relation::text as oid, n.nspname || '.' || c.relname as name,
            c.relkind::text as relkind, n.nspname::text as nspname,
            (select tn.nspname || '.' || t.relname from pg_index x join pg_class t on t.oid = x.indrelid
               join pg_namespace tn on tn.oid = t.relnamespace where x.indexrelid = l.relation) as table,
            case when l.locktype = 'object' then pg_describe_object(l.classid, l.objid, l.objsubid) end as object
       from pg_locks l
       left join pg_class c on c.oid = l.relation
       left join pg_namespace n on n.oid = c.relnamespace
      where l.pid = $1 and l.locktype in ('relation', 'object')`,
    [pid],
  );
  const out: ObservedLock[] = [];
  for (const r of rows) {
    if (!(LOCK_MODES as readonly string[]).includes(r.mode)) continue;
    if (r.locktype === 'object') {
      if (!r.object) continue;
      out.push({
        target: r.object,
        oid: undefined,
        kind: 'object',
        mode: r.mode as LockMode,
        granted: r.granted,
      });
      continue;
    }
    if (
      r.nspname &&
      (['pg_catalog', 'information_schema'].includes(r.nspname) || r.nspname.startsWith('pg_toast'))
    )
      continue;
    out.push({
      target: r.name ?? `relation ${r.oid}`,
      oid: r.oid ?? undefined,
      kind: r.relkind ? relationKind(r.relkind) : 'other',
      mode: r.mode as LockMode,
      granted: r.granted,
      table: r.table ?? undefined,
    });
  }
  return out;
}

/**
 * Size of every user table (rows from `reltuples`, bytes from `relpages` of
 * the table, its indexes and TOAST), read from the catalog without opening
 * any table, so it never waits behind a lock.
 */
export async function tableSizes(db: Database): Promise<Map<string, { rows: number; bytes: number }>> {
  const { rows } = await db.query<{ name: string; rows: string; bytes: string }>(
    // reltuples is -1 until the first VACUUM or ANALYZE (PostgreSQL 14+): fall back on the statistics' live rows.
    `select n.nspname || '.' || c.relname as name,
            (case when c.reltuples >= 0 then c.reltuples
                  else coalesce((select s.n_live_tup from pg_stat_user_tables s where s.relid = c.oid), 0) end)::bigint::text as rows,
            ((c.relpages::bigint
              + coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid
                           where x.indrelid = c.oid), 0)
              + coalesce((select t.relpages from pg_class t where t.oid = c.reltoastrelid), 0))
             * current_setting('block_size')::bigint)::text as bytes
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where ${USER_RELATIONS} and c.relkind in ('r', 'p', 'm')`,
  );
  return new Map(rows.map((r) => [r.name, { rows: Number(r.rows), bytes: Number(r.bytes) }]));
}
