import type { ForeignKeyInfo } from '../catalog/foreign-keys.js';
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
 * N+1 queries: a statement that looks up one table by its key
 * (`where id = $1`, or `where parent_id = $1`) and runs about once per row
 * that another statement returned from a table linked to it by a foreign
 * key — the ORM loop that loads a list, then each row's parent or children
 * one by one.
 */
export const nPlusOne: Check = {
  id: 'n-plus-one',
  title: 'N+1 query patterns',
  severities: {
    warning: 'a key lookup runs nPlusOneMinCalls times or more, about once per row of a related statement',
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
    const uniqueKeys = new Set(
      indexes
        .filter((i) => i.unique && i.valid && i.keyColumns.length === 1 && !i.predicate)
        .map((i) => `${i.qualifiedTable}.${i.keyColumns[0]}`),
    );
    const findings: Finding[] = [];
    for (const child of shaped) {
      const lookup = child.shape.lookup;
      if (!lookup || child.stat.calls < ctx.config.nPlusOneMinCalls) continue;
      const byKey = uniqueKeys.has(`${lookup.table}.${lookup.column}`);
      // Parents: tables whose rows lead to this lookup through a foreign key.
      const parents = new Map<string, ForeignKeyInfo>();
      for (const fk of fks) {
        if (fk.columns.length !== 1) continue;
        if (byKey && fk.qualifiedRefTable === lookup.table && fk.refColumns[0] === lookup.column)
          parents.set(fk.qualifiedTable, fk);
        if (fk.qualifiedTable === lookup.table && fk.columns[0] === lookup.column)
          parents.set(fk.qualifiedRefTable, fk);
      }
      const parent = shaped
        .filter((p) => p !== child && p.stat.rows > 0 && p.shape.tables.some((t) => parents.has(t)))
        .map((p) => ({ p, ratio: child.stat.calls / p.stat.rows }))
        .filter(({ ratio }) => ratio >= MIN_RATIO && ratio <= MAX_RATIO)
        .sort((a, b) => Math.abs(1 - a.ratio) - Math.abs(1 - b.ratio))[0];
      if (!parent) continue;
      const parentTable = parent.p.shape.tables.find((t) => parents.has(t))!;
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
          foreignKey: parents.get(parentTable)!.name,
        },
        recommendation: `Load the ${lookup.table} rows together with the ${parentTable} rows: a JOIN, or one query with "${lookup.column} = any($1)" over the collected keys (your ORM's eager loading), instead of one round trip per row.`,
      });
    }
    return findings;
  },
};
