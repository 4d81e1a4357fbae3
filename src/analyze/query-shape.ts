import { parseTree as parse } from '../core/sql/pg-wasm.js';
import type { ColumnUse, NameResolver, ParamAt, QueryShape, SortKey } from './query-shape-types.js';
import { columnOf, isValue, type Node, opName, type Scope, ShapeWalker } from './shape-walker.js';

export type {
  ColumnUse,
  ColumnUseKind,
  ConstantCondition,
  NameResolver,
  ParamAt,
  ParamHint,
  PatternUse,
  QueryShape,
  SortKey,
} from './query-shape-types.js';

/**
 * Parses a (normalized) statement with PostgreSQL's parser and returns the
 * tables it reads and the columns it filters with equality or ranges, joins
 * on and sorts by. Returns undefined when the text does not parse.
 */
export async function queryShape(sql: string, resolver: NameResolver): Promise<QueryShape | undefined> {
  let tree: { stmts?: { stmt?: Node }[] };
  try {
    tree = (await parse(sql)) as typeof tree;
  } catch {
    return undefined;
  }
  const stmts = tree.stmts ?? [];
  if (stmts.length !== 1) return undefined;
  const stmt = stmts[0]!.stmt ?? {};
  const kindName = Object.keys(stmt)[0] ?? '';
  const kind =
    kindName === 'SelectStmt'
      ? 'select'
      : kindName === 'UpdateStmt'
        ? 'update'
        : kindName === 'DeleteStmt'
          ? 'delete'
          : kindName === 'InsertStmt'
            ? 'insert'
            : 'other';
  const walker = new ShapeWalker(resolver);
  let orderBy: QueryShape['orderBy'];
  let limit = false;
  const limitParams: QueryShape['limitParams'] = {};
  if (kind === 'select') {
    const select = stmt.SelectStmt as Node;
    const scope = walker.select(select);
    limit = select.limitCount !== undefined;
    if (scope) orderBy = sortKeys(select, scope, walker);
    const at = (node: unknown): ParamAt | undefined => {
      const ref = (node as Node | undefined)?.ParamRef as { number?: number; location?: number } | undefined;
      return ref?.number && ref.location !== undefined
        ? { number: ref.number, location: ref.location }
        : undefined;
    };
    const count = at(select.limitCount);
    const offset = at(select.limitOffset);
    if (count) limitParams.count = count;
    if (offset) limitParams.offset = offset;
  }
  if (kind === 'update' || kind === 'delete') walker.modify(stmt[kindName] as Node);
  if (kind === 'insert') walker.insert(stmt.InsertStmt as Node);
  const columnsRead = new Map<string, Set<string>>();
  for (const [table, columns] of walker.read) if (!walker.star.has(table)) columnsRead.set(table, columns);
  const shape: QueryShape = {
    kind,
    tables: [...new Set(walker.tables)],
    uses: dedupe(walker.uses),
    limit,
    limitParams,
    conditions: dedupeBy(walker.conditions, (c) => `${c.table}|${c.predicate}`),
    patterns: dedupeBy(walker.patterns, (p) => `${p.table}|${p.column}|${p.op}`),
    columnsRead,
    paramHints: walker.paramHints,
  };
  if (orderBy) shape.orderBy = orderBy;
  const lookup = kind === 'select' ? singleLookup(stmt.SelectStmt as Node, walker) : undefined;
  if (lookup) shape.lookup = lookup;
  return shape;
}

function dedupeBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** ORDER BY keys of one table, in order, or undefined when a key is an expression or from another table. */
function sortKeys(select: Node, scope: Scope, walker: ShapeWalker): QueryShape['orderBy'] {
  const sorts = (select.sortClause as Node[] | undefined) ?? [];
  if (sorts.length === 0) return undefined;
  let table: string | undefined;
  const keys: SortKey[] = [];
  for (const sort of sorts) {
    const by = sort.SortBy as Node;
    const resolved = walker.resolve(by.node as Node, scope);
    if (!resolved || (table && resolved.table !== table)) return undefined;
    table = resolved.table;
    const desc = by.sortby_dir === 'SORTBY_DESC';
    const key: SortKey = { column: resolved.column, desc };
    // The default is NULLS LAST for ASC and NULLS FIRST for DESC; only a departure needs saying.
    if (by.sortby_nulls === 'SORTBY_NULLS_FIRST' && !desc) key.nullsFirst = true;
    if (by.sortby_nulls === 'SORTBY_NULLS_LAST' && desc) key.nullsFirst = false;
    keys.push(key);
  }
  return table ? { table, keys } : undefined;
}

function dedupe(uses: ColumnUse[]): ColumnUse[] {
  const seen = new Set<string>();
  return uses.filter((u) => {
    const key = `${u.table}|${u.column}|${u.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `select … from t where col = $1` (optionally with LIMIT), nothing else. */
function singleLookup(select: Node, walker: ShapeWalker): QueryShape['lookup'] {
  const from = (select.fromClause as Node[] | undefined) ?? [];
  if (from.length !== 1 || !from[0]!.RangeVar || select.groupClause || select.havingClause) return undefined;
  const where = select.whereClause as Node | undefined;
  const expr = where?.A_Expr as Node | undefined;
  if (expr?.kind !== 'AEXPR_OP' || opName(expr) !== '=') return undefined;
  const table = walker.tables[0];
  const column = columnOf(expr.lexpr as Node) ?? columnOf(expr.rexpr as Node);
  const other = columnOf(expr.lexpr as Node) ? (expr.rexpr as Node) : (expr.lexpr as Node);
  if (!table || !column || !isValue(other)) return undefined;
  return { table, column: column.at(-1)! };
}
