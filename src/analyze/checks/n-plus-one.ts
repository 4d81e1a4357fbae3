import type { ColumnInfo, ForeignKeyInfo } from '../catalog/foreign-keys.js';
import { unquoteIdent } from '../catalog/indexes.js';
import type { QueryStat } from '../catalog/query-stats.js';
import type { Check, Finding } from '../check.js';
import { makeResolver } from '../index-advisor/name-resolver.js';
import { type QueryShape, queryShape } from '../query-shape.js';
import { shortSql } from '../sql-text.js';

interface Shaped {
  stat: QueryStat;
  shape: QueryShape;
}

/** A lookup runs about once per row of its parent when calls / parent rows is within these bounds. */
const MIN_RATIO = 0.5;
const MAX_RATIO = 2;
/**
 * The parent loads a list: at least this many rows a call, and the lookup
 * runs at least this many times per parent call. A page that loads one
 * customer, then its orders, runs both statements equally often: that is
 * not N+1, however many times it runs.
 */
const MIN_PARENT_ROWS_PER_CALL = 2;
const MIN_LOOKUPS_PER_PARENT_CALL = 2;

/** How a parent table's rows lead to the looked-up table. */
interface Relation {
  /** `foreign key orders_customer_id_fkey`, or `orders.customer_id → customers.id (by name)`. */
  via: string;
  foreignKey?: string;
}

/** `customers` → `customer`, `categories` → `category`, `addresses` → `address`. */
function singular(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(name)) return name.slice(0, -2);
  if (name.endsWith('s') && !name.endsWith('ss')) return name.slice(0, -1);
  return name;
}

/**
 * The tables whose rows lead to a lookup of `table` by `column`: through a
 * foreign key, or — where the schema declares none (pgbench without `-I f`,
 * many ORMs' schemas) — through column names: a lookup by a table's unique
 * key `id` (or `bid`) is led to by tables with a column `customer_id` (or
 * `bid`); a lookup of children by `customer_id` (or `bid`) by the table
 * whose unique key that names.
 */
function relatedTables(
  lookup: { table: string; column: string },
  byKey: boolean,
  fks: readonly ForeignKeyInfo[],
  columnsByTable: ReadonlyMap<string, Set<string>>,
  uniqueKeys: ReadonlyMap<string, Set<string>>,
): Map<string, Relation> {
  const out = new Map<string, Relation>();
  for (const fk of fks) {
    if (fk.columns.length !== 1) continue;
    if (byKey && fk.qualifiedRefTable === lookup.table && fk.refColumns[0] === lookup.column)
      out.set(fk.qualifiedTable, { via: `foreign key ${fk.name}`, foreignKey: fk.name });
    if (fk.qualifiedTable === lookup.table && fk.columns[0] === lookup.column)
      out.set(fk.qualifiedRefTable, { via: `foreign key ${fk.name}`, foreignKey: fk.name });
  }
  const bare = (qualified: string) => qualified.slice(qualified.indexOf('.') + 1);
  for (const [table, columns] of columnsByTable) {
    if (table === lookup.table || out.has(table)) continue;
    if (byKey) {
      const names = [lookup.column, `${singular(bare(lookup.table))}_${lookup.column}`];
      const found = names.find((n) => n !== 'id' && columns.has(n));
      if (found) out.set(table, { via: `${table}.${found} → ${lookup.table}.${lookup.column} (by name)` });
    } else {
      const keys = uniqueKeys.get(table) ?? new Set();
      const key =
        keys.has(lookup.column) && lookup.column !== 'id'
          ? lookup.column
          : keys.has('id') && lookup.column === `${singular(bare(table))}_id`
            ? 'id'
            : undefined;
      if (key) out.set(table, { via: `${lookup.table}.${lookup.column} → ${table}.${key} (by name)` });
    }
  }
  return out;
}

/**
 * N+1 queries: a statement that looks up one table by a key (`where id =
 * $1`, or `where parent_id = $1`) and runs about once per row that another
 * statement returned — a statement that loads lists, from a table related
 * to it by a foreign key or by column names — the ORM loop that loads a
 * list, then each row's parent or children one by one.
 */
export const nPlusOne: Check = {
  id: 'n-plus-one',
  title: 'N+1 query patterns',
  severities: {
    warning:
      'a key lookup runs nPlusOneMinCalls times or more, about once per row of a statement on a related table that returns lists',
  },
  requires: ['pg_stat_statements'],
  async run(ctx) {
    const [stats, tables, columns, fks, indexes] = await Promise.all([
      ctx.catalog.queryStats(),
      ctx.catalog.tables(),
      ctx.catalog.columns(),
      ctx.catalog.foreignKeys(),
      ctx.catalog.indexes(),
    ]);
    const resolver = makeResolver(tables, columns);
    const shaped: Shaped[] = [];
    for (const stat of stats.statements) {
      if (stat.queryId.startsWith('file:')) continue;
      const shape = await queryShape(stat.query, resolver);
      if (shape?.kind === 'select') shaped.push({ stat, shape });
    }
    const uniqueKeys = new Map<string, Set<string>>();
    for (const i of indexes) {
      if (!i.unique || !i.valid || i.keyColumns.length !== 1 || i.predicate) continue;
      uniqueKeys.set(
        i.qualifiedTable,
        (uniqueKeys.get(i.qualifiedTable) ?? new Set()).add(unquoteIdent(i.keyColumns[0]!)),
      );
    }
    const columnsByTable = columnSets(columns);
    const findings: Finding[] = [];
    for (const child of shaped) {
      const lookup = child.shape.lookup;
      if (!lookup || child.stat.calls < ctx.config.nPlusOneMinCalls) continue;
      const byKey = uniqueKeys.get(lookup.table)?.has(lookup.column) ?? false;
      const parents = relatedTables(lookup, byKey, fks, columnsByTable, uniqueKeys);
      const parent = shaped
        .filter(
          (p) =>
            p !== child &&
            p.stat.rows >= MIN_PARENT_ROWS_PER_CALL * p.stat.calls &&
            child.stat.calls >= MIN_LOOKUPS_PER_PARENT_CALL * p.stat.calls &&
            p.shape.tables.some((t) => parents.has(t)),
        )
        .map((p) => ({ p, ratio: child.stat.calls / p.stat.rows }))
        .filter(({ ratio }) => ratio >= MIN_RATIO && ratio <= MAX_RATIO)
        .sort((a, b) => Math.abs(1 - a.ratio) - Math.abs(1 - b.ratio))[0];
      if (!parent) continue;
      const parentTable = parent.p.shape.tables.find((t) => parents.has(t))!;
      const relation = parents.get(parentTable)!;
      const rowsPerCall = child.stat.rows / child.stat.calls;
      findings.push({
        check: 'n-plus-one',
        severity: 'warning',
        title: `${lookup.table} is looked up by ${lookup.column} ${child.stat.calls} times, once per row of another statement on ${parentTable}`,
        object: { type: 'query', name: child.stat.queryId, table: lookup.table },
        evidence: {
          window: ctx.window.description,
          lookup: child.stat.query,
          lookupCalls: child.stat.calls,
          rowsPerLookup: Math.round(rowsPerCall * 100) / 100,
          lookupTotalMs: Math.round(child.stat.totalMs * 100) / 100,
          parentQuery: shortSql(parent.p.stat.query),
          parentQueryId: parent.p.stat.queryId,
          parentCalls: parent.p.stat.calls,
          parentRows: parent.p.stat.rows,
          lookupsPerParentRow: Math.round(parent.ratio * 100) / 100,
          relation: relation.via,
          ...(relation.foreignKey ? { foreignKey: relation.foreignKey } : {}),
        },
        recommendation: `Load the ${lookup.table} rows together with the ${parentTable} rows: a JOIN, or one query with "${lookup.column} = any($1)" over the collected keys (your ORM's eager loading), instead of one round trip per row.`,
      });
    }
    return findings;
  },
};

function columnSets(columns: readonly ColumnInfo[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const c of columns) {
    const table = `${c.schema}.${c.table}`;
    out.set(table, (out.get(table) ?? new Set()).add(c.name));
  }
  return out;
}
