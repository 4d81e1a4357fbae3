import type { Database } from '../core/db/database.js';
import { quoteQualified } from '../core/sql/quote.js';

/** An index left INVALID (`pg_index.indisvalid = false`), e.g. by a failed CREATE INDEX CONCURRENTLY. */
export interface InvalidIndex {
  schema: string;
  name: string;
  table: string;
}

/**
 * Every invalid index outside the system schemas. A failed concurrent build
 * leaves one behind: it costs writes and is never used, and building it again
 * with the same name fails until it is dropped. (An index being built
 * concurrently right now is invalid too, until the build ends.)
 */
export async function findInvalidIndexes(db: Database): Promise<InvalidIndex[]> {
  const { rows } = await db.query<InvalidIndex>(
    `select n.nspname::text as schema, c.relname::text as name, t.relname::text as table
       from pg_index i
       join pg_class c on c.oid = i.indexrelid
       join pg_class t on t.oid = i.indrelid
       join pg_namespace n on n.oid = c.relnamespace
      where not i.indisvalid
        and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
      order by 1, 2`,
  );
  return rows;
}

/** `DROP INDEX CONCURRENTLY IF EXISTS public.i;` for each invalid index, the usual cleanup. */
export function dropInvalidIndexSql(index: InvalidIndex): string {
  return `DROP INDEX CONCURRENTLY IF EXISTS ${quoteQualified(index.schema, index.name)};`;
}

/** A session holding a lock on a table a migration needs. */
export interface LockBlocker {
  pid: number;
  applicationName: string;
  mode: string;
  relation: string;
  state: string | null;
  xactStart: Date | null;
}

/**
 * Other sessions holding granted locks on the given tables (quoted names
 * from the parse tree), to say who made a migration hit lock_timeout.
 * Names that do not resolve (a table the migration creates) are skipped.
 */
export async function findLockBlockers(db: Database, relations: readonly string[]): Promise<LockBlocker[]> {
  if (relations.length === 0) return [];
  const { rows } = await db.query<{
    pid: number;
    application_name: string | null;
    mode: string;
    relation: string;
    state: string | null;
    xact_start: Date | null;
  }>(
    `select distinct l.pid, a.application_name, l.mode, l.relation::regclass::text as relation, a.state, a.xact_start
       from pg_locks l left join pg_stat_activity a on a.pid = l.pid
      where l.granted and l.pid <> pg_backend_pid() and l.locktype = 'relation'
        and l.relation in (select to_regclass(name) from unnest($1::text[]) as name)
      order by l.pid`,
    [relations],
  );
  return rows.map((r) => ({
    pid: Number(r.pid),
    applicationName: r.application_name ?? '',
    mode: r.mode,
    relation: r.relation,
    state: r.state,
    xactStart: r.xact_start,
  }));
}
