import type { Database } from '../../core/db/index.js';
import { quoteQualified } from '../../core/sql/quote.js';
import { TAG } from '../sql-text.js';
import { num, userRelationFilter } from './values.js';

/** Estimated wasted space of a table or btree index, from pg_stats widths and the row count. */
export interface BloatEstimate {
  kind: 'table' | 'index';
  /** `schema.name`. */
  name: string;
  /** The same, quoted for SQL. */
  sqlName: string;
  /** For indexes: `schema.table`. */
  table?: string;
  pages: number;
  expectedPages: number;
  bytes: number;
  wastedBytes: number;
  /** wasted / actual size. */
  ratio: number;
}

const MAXALIGN = 8;
const PAGE_HEADER = 24;
const LINE_POINTER = 4;
const BTREE_SPECIAL = 16;
const INDEX_TUPLE_HEADER = 8;

function align(n: number): number {
  return Math.ceil(n / MAXALIGN) * MAXALIGN;
}

function estimate(
  kind: BloatEstimate['kind'],
  schema: string,
  relname: string,
  pages: number,
  expectedPages: number,
  blockSize: number,
  table?: string,
): BloatEstimate {
  const wastedPages = Math.max(0, pages - expectedPages);
  return {
    kind,
    name: `${schema}.${relname}`,
    sqlName: quoteQualified(schema, relname),
    ...(table ? { table } : {}),
    pages,
    expectedPages: Math.round(expectedPages),
    bytes: pages * blockSize,
    wastedBytes: Math.round(wastedPages * blockSize),
    ratio: pages > 0 ? Math.round((wastedPages / pages) * 1000) / 1000 : 0,
  };
}

/**
 * Estimates bloat the way the well-known catalog queries do (no extension
 * needed, so it works on PGlite and managed servers): the pages the rows
 * would fill at their average width from pg_stats and the fillfactor,
 * against the pages the relation has. Tables and indexes without
 * statistics (never analyzed) or under 10 pages are left out.
 */
export async function loadBloatEstimates(db: Database): Promise<BloatEstimate[]> {
  const setting = await db.query<{ b: string }>(`select ${TAG} current_setting('block_size') as b`);
  const blockSize = Number(setting.rows[0]!.b);
  const tables = await db.query<Record<string, unknown>>(
    `select ${TAG} n.nspname as schema, c.relname as name, c.relpages, c.reltuples::float8 as reltuples,
       coalesce((select option_value::int from pg_options_to_table(c.reloptions) where option_name = 'fillfactor'), 100) as ff,
       count(a.attnum) as ncols, count(s.attname) as nstats,
       sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 0)) as width, max(coalesce(s.null_frac, 0)) as max_null
     from pg_class c
     join pg_namespace n on n.oid = c.relnamespace
     join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     left join pg_stats s on s.schemaname = n.nspname and s.tablename = c.relname and s.attname = a.attname
     where c.relkind in ('r', 'm') and c.relpages >= 10 and c.reltuples >= 0 and ${userRelationFilter('c', 'n')}
     group by n.nspname, c.relname, c.relpages, c.reltuples, c.reloptions`,
  );
  const out: BloatEstimate[] = [];
  for (const r of tables.rows) {
    if (num(r.nstats) < num(r.ncols)) continue;
    const header = align(23 + (num(r.max_null) > 0 ? Math.ceil(num(r.ncols) / 8) : 0));
    const perTuple = header + align(num(r.width)) + LINE_POINTER;
    const usable = (blockSize - PAGE_HEADER) * (num(r.ff) / 100);
    const perPage = Math.max(1, Math.floor(usable / perTuple));
    const expected = Math.ceil(num(r.reltuples) / perPage);
    out.push(estimate('table', String(r.schema), String(r.name), num(r.relpages), expected, blockSize));
  }
  const indexes = await db.query<Record<string, unknown>>(
    `select ${TAG} n.nspname as schema, t.relname as table_name, c.relname as name, c.relpages,
       c.reltuples::float8 as reltuples,
       coalesce((select option_value::int from pg_options_to_table(c.reloptions) where option_name = 'fillfactor'), 90) as ff,
       count(a.attnum) as ncols, count(s.attname) as nstats, sum(coalesce(s.avg_width, 0)) as width
     from pg_index i
     join pg_class c on c.oid = i.indexrelid
     join pg_am am on am.oid = c.relam and am.amname = 'btree'
     join pg_class t on t.oid = i.indrelid
     join pg_namespace n on n.oid = t.relnamespace
     join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey::int2[]) and a.attnum > 0
     left join pg_stats s on s.schemaname = n.nspname and s.tablename = t.relname and s.attname = a.attname
     where i.indexprs is null and c.relpages >= 10 and c.reltuples >= 0 and ${userRelationFilter('t', 'n')}
     group by n.nspname, t.relname, c.relname, c.relpages, c.reltuples, c.reloptions`,
  );
  for (const r of indexes.rows) {
    if (num(r.nstats) < num(r.ncols)) continue;
    const perTuple = INDEX_TUPLE_HEADER + align(num(r.width)) + LINE_POINTER;
    const usable = (blockSize - PAGE_HEADER - BTREE_SPECIAL) * (num(r.ff) / 100);
    const perPage = Math.max(1, Math.floor(usable / perTuple));
    // Leaf pages, plus about 2% internal pages and the metapage.
    const expected = Math.ceil(num(r.reltuples) / perPage) * 1.02 + 1;
    out.push(
      estimate(
        'index',
        String(r.schema),
        String(r.name),
        num(r.relpages),
        expected,
        blockSize,
        `${r.schema}.${r.table_name}`,
      ),
    );
  }
  return out;
}
