import { parse } from 'libpg-query';

type Node = Record<string, unknown>;

/** How a column is used by a statement, which decides where it goes in an index. */
export type ColumnUseKind = 'eq' | 'range' | 'sort' | 'join';

/** A column of a table that a statement filters, joins or sorts on. */
export interface ColumnUse {
  /** `schema.table` as resolved against the catalog, or the bare name when unknown. */
  table: string;
  column: string;
  kind: ColumnUseKind;
}

/** What a statement reads and how, from its parse tree. */
export interface QueryShape {
  kind: 'select' | 'update' | 'delete' | 'insert' | 'other';
  /** Tables it reads or writes (resolved names); for INSERT, UPDATE and DELETE the target comes first. */
  tables: string[];
  uses: ColumnUse[];
  /** A single-table SELECT whose WHERE is only `col = $n` on one column (a lookup). */
  lookup?: { table: string; column: string };
}

/** Resolves table and column names against the catalog. */
export interface NameResolver {
  /** `orders` → `public.orders`; undefined when no such table. */
  table(schema: string | undefined, name: string): string | undefined;
  /** Whether the table has the column. */
  hasColumn(table: string, column: string): boolean;
}

interface Scope {
  /** alias or table name → resolved table */
  aliases: Map<string, string>;
  tables: string[];
}

const RANGE_OPS = new Set(['<', '>', '<=', '>=']);

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
  if (kind === 'select') walker.select(stmt.SelectStmt as Node);
  if (kind === 'update' || kind === 'delete') walker.modify(stmt[kindName] as Node);
  if (kind === 'insert') walker.insert(stmt.InsertStmt as Node);
  const shape: QueryShape = { kind, tables: [...new Set(walker.tables)], uses: dedupe(walker.uses) };
  const lookup = kind === 'select' ? singleLookup(stmt.SelectStmt as Node, walker) : undefined;
  if (lookup) shape.lookup = lookup;
  return shape;
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

function opName(expr: Node): string {
  const name = (expr.name as Node[] | undefined)?.at(-1) as { String?: { sval?: string } } | undefined;
  return name?.String?.sval ?? '';
}

/** The field names of a ColumnRef (`['o', 'customer_id']`), or undefined. */
function columnOf(node: Node | undefined): string[] | undefined {
  const ref = node?.ColumnRef as { fields?: { String?: { sval?: string } }[] } | undefined;
  if (!ref?.fields || ref.fields.some((f) => !f.String)) return undefined;
  return ref.fields.map((f) => f.String!.sval!);
}

/** A parameter, constant, or cast of one: something an index condition can compare with. */
function isValue(node: Node | undefined): boolean {
  if (!node) return false;
  if (node.ParamRef || node.A_Const) return true;
  if (node.TypeCast) return isValue((node.TypeCast as Node).arg as Node);
  if (node.List) return ((node.List as Node).items as Node[]).every(isValue);
  if (node.FuncCall) {
    const args = ((node.FuncCall as Node).args as Node[] | undefined) ?? [];
    return args.every(isValue); // now(), lower($1): stable values
  }
  if (node.A_Expr) {
    const e = node.A_Expr as Node;
    return isValue(e.lexpr as Node) && isValue(e.rexpr as Node); // $1 - interval $2
  }
  return false;
}

class ShapeWalker {
  readonly tables: string[] = [];
  readonly uses: ColumnUse[] = [];

  constructor(private readonly resolver: NameResolver) {}

  select(select: Node | undefined): void {
    if (!select) return;
    for (const cte of ((select.withClause as Node | undefined)?.ctes as Node[] | undefined) ?? []) {
      const query = (cte.CommonTableExpr as Node | undefined)?.ctequery as Node | undefined;
      if (query?.SelectStmt) this.select(query.SelectStmt as Node);
    }
    if (select.op && select.op !== 'SETOP_NONE') {
      this.select(select.larg as Node);
      this.select(select.rarg as Node);
      return;
    }
    const scope: Scope = { aliases: new Map(), tables: [] };
    for (const item of (select.fromClause as Node[] | undefined) ?? []) this.from(item, scope);
    this.predicate(select.whereClause as Node | undefined, scope);
    for (const sort of (select.sortClause as Node[] | undefined) ?? []) {
      const by = (sort.SortBy as Node | undefined)?.node as Node | undefined;
      this.column(by, scope, 'sort');
    }
  }

  modify(stmt: Node): void {
    const scope: Scope = { aliases: new Map(), tables: [] };
    this.from({ RangeVar: stmt.relation }, scope);
    for (const item of ((stmt.fromClause ?? stmt.usingClause) as Node[] | undefined) ?? [])
      this.from(item, scope);
    this.predicate(stmt.whereClause as Node | undefined, scope);
  }

  /** INSERT: the target table (what it writes), and what its SELECT reads. */
  insert(stmt: Node): void {
    this.from({ RangeVar: stmt.relation }, { aliases: new Map(), tables: [] });
    this.select((stmt.selectStmt as Node | undefined)?.SelectStmt as Node | undefined);
  }

  private from(item: Node, scope: Scope): void {
    if (item.RangeVar) {
      const rv = item.RangeVar as { schemaname?: string; relname?: string; alias?: { aliasname?: string } };
      if (!rv.relname) return;
      const table = this.resolver.table(rv.schemaname, rv.relname) ?? rv.relname;
      scope.aliases.set(rv.alias?.aliasname ?? rv.relname, table);
      scope.tables.push(table);
      this.tables.push(table);
    } else if (item.JoinExpr) {
      const join = item.JoinExpr as Node;
      this.from(join.larg as Node, scope);
      this.from(join.rarg as Node, scope);
      this.predicate(join.quals as Node | undefined, scope);
    } else if (item.RangeSubselect) {
      this.select(((item.RangeSubselect as Node).subquery as Node | undefined)?.SelectStmt as Node);
    }
  }

  private predicate(node: Node | undefined, scope: Scope): void {
    if (!node) return;
    if (node.BoolExpr) {
      const bool = node.BoolExpr as Node;
      if (bool.boolop === 'AND_EXPR') for (const arg of bool.args as Node[]) this.predicate(arg, scope);
      return; // OR and NOT rarely use a plain btree index well
    }
    if (node.NullTest) {
      this.column((node.NullTest as Node).arg as Node, scope, 'eq');
      return;
    }
    if (node.SubLink) {
      this.select(((node.SubLink as Node).subselect as Node | undefined)?.SelectStmt as Node);
      return;
    }
    const expr = node.A_Expr as Node | undefined;
    if (!expr) return;
    const left = expr.lexpr as Node | undefined;
    const right = expr.rexpr as Node | undefined;
    if (expr.kind === 'AEXPR_IN') {
      if (isValue(right)) this.column(left, scope, 'eq');
      return;
    }
    if (expr.kind === 'AEXPR_BETWEEN') {
      if (isValue(right)) this.column(left, scope, 'range');
      return;
    }
    if (expr.kind !== 'AEXPR_OP') return;
    const op = opName(expr);
    const use: ColumnUseKind | undefined = op === '=' ? 'eq' : RANGE_OPS.has(op) ? 'range' : undefined;
    if (!use) return;
    if (columnOf(left) && columnOf(right)) {
      this.column(left, scope, 'join');
      this.column(right, scope, 'join');
    } else if (columnOf(left) && isValue(right)) {
      this.column(left, scope, use);
    } else if (columnOf(right) && isValue(left)) {
      this.column(right, scope, use);
    }
  }

  private column(node: Node | undefined, scope: Scope, kind: ColumnUseKind): void {
    const fields = columnOf(node);
    if (!fields) return;
    const column = fields.at(-1)!;
    let table: string | undefined;
    if (fields.length >= 2) table = scope.aliases.get(fields.at(-2)!);
    else if (scope.tables.length === 1) table = scope.tables[0];
    else table = scope.tables.find((t) => this.resolver.hasColumn(t, column));
    if (table && this.resolver.hasColumn(table, column)) this.uses.push({ table, column, kind });
  }
}
