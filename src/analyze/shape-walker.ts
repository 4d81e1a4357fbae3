import { quoteIdent, quoteLiteral } from '../core/sql/quote.js';
import type {
  ColumnUse,
  ColumnUseKind,
  ConstantCondition,
  NameResolver,
  ParamHint,
  PatternUse,
} from './query-shape-types.js';

/** A node of libpg-query's parse tree. */
export type Node = Record<string, unknown>;

/** The tables a FROM brings into scope. */
export interface Scope {
  /** alias or table name → resolved table */
  aliases: Map<string, string>;
  tables: string[];
}

const RANGE_OPS = new Set(['<', '>', '<=', '>=']);

/** The operator's name of an `A_Expr` (`=`, `<`, `~~`). */
export function opName(expr: Node): string {
  const name = (expr.name as Node[] | undefined)?.at(-1) as { String?: { sval?: string } } | undefined;
  return name?.String?.sval ?? '';
}

/** The field names of a ColumnRef (`['o', 'customer_id']`), or undefined. */
export function columnOf(node: Node | undefined): string[] | undefined {
  const ref = node?.ColumnRef as { fields?: { String?: { sval?: string } }[] } | undefined;
  if (!ref?.fields || ref.fields.some((f) => !f.String)) return undefined;
  return ref.fields.map((f) => f.String!.sval!);
}

/** A parameter, constant, or cast of one: something an index condition can compare with. */
export function isValue(node: Node | undefined): boolean {
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

/**
 * Walks a statement's parse tree and collects the tables it reads, the
 * columns it filters, joins and sorts on, constant conditions, patterns,
 * the columns read per table and what each parameter is compared with.
 */
export class ShapeWalker {
  readonly tables: string[] = [];
  readonly uses: ColumnUse[] = [];
  readonly conditions: ConstantCondition[] = [];
  readonly patterns: PatternUse[] = [];
  readonly read = new Map<string, Set<string>>();
  readonly star = new Set<string>();
  readonly paramHints = new Map<number, ParamHint>();

  constructor(private readonly resolver: NameResolver) {}

  /** Walks a SELECT; returns the scope of its FROM (undefined for a set operation). */
  select(select: Node | undefined): Scope | undefined {
    if (!select) return undefined;
    for (const cte of ((select.withClause as Node | undefined)?.ctes as Node[] | undefined) ?? []) {
      const query = (cte.CommonTableExpr as Node | undefined)?.ctequery as Node | undefined;
      if (query?.SelectStmt) this.select(query.SelectStmt as Node);
    }
    if (select.op && select.op !== 'SETOP_NONE') {
      this.select(select.larg as Node);
      this.select(select.rarg as Node);
      return undefined;
    }
    const scope: Scope = { aliases: new Map(), tables: [] };
    for (const item of (select.fromClause as Node[] | undefined) ?? []) this.from(item, scope);
    this.predicate(select.whereClause as Node | undefined, scope);
    for (const sort of (select.sortClause as Node[] | undefined) ?? []) {
      const by = (sort.SortBy as Node | undefined)?.node as Node | undefined;
      this.column(by, scope, 'sort');
    }
    for (const part of ['limitCount', 'limitOffset'] as const) {
      const param = (select[part] as Node | undefined)?.ParamRef as { number?: number } | undefined;
      if (param?.number) this.paramHints.set(param.number, { type: 'bigint' });
    }
    this.collectReads(
      [select.targetList, select.whereClause, select.sortClause, select.groupClause, select.havingClause],
      scope,
    );
    return scope;
  }

  modify(stmt: Node): void {
    const scope: Scope = { aliases: new Map(), tables: [] };
    this.from({ RangeVar: stmt.relation }, scope);
    for (const item of ((stmt.fromClause ?? stmt.usingClause) as Node[] | undefined) ?? [])
      this.from(item, scope);
    this.predicate(stmt.whereClause as Node | undefined, scope);
    for (const target of (stmt.targetList as Node[] | undefined) ?? []) {
      const res = target.ResTarget as Node | undefined;
      const table = scope.tables[0];
      if (res?.name && table) this.hintParams(res.val as Node, { table, column: String(res.name) });
    }
  }

  /** The table and column a ColumnRef names, resolved through the scope's aliases. */
  resolve(node: Node | undefined, scope: Scope): { table: string; column: string } | undefined {
    const fields = columnOf(node);
    if (!fields) return undefined;
    const column = fields.at(-1)!;
    let table: string | undefined;
    if (fields.length >= 2) table = scope.aliases.get(fields.at(-2)!);
    else if (scope.tables.length === 1) table = scope.tables[0];
    else table = scope.tables.find((t) => this.resolver.hasColumn(t, column));
    return table && this.resolver.hasColumn(table, column) ? { table, column } : undefined;
  }

  /** Every column (and `*`) the nodes reference, without entering subqueries (they have their own scope). */
  private collectReads(nodes: unknown[], scope: Scope): void {
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) {
        for (const item of node) visit(item);
        return;
      }
      if (!node || typeof node !== 'object') return;
      const n = node as Node;
      if (n.SubLink || n.RangeSubselect || n.SelectStmt) return;
      const ref = n.ColumnRef as { fields?: Node[] } | undefined;
      if (ref?.fields) {
        if (ref.fields.some((f) => f.A_Star)) {
          const alias =
            ref.fields.length > 1 ? (ref.fields[0]!.String as { sval?: string })?.sval : undefined;
          for (const t of alias ? [scope.aliases.get(alias)] : scope.tables) if (t) this.star.add(t);
          return;
        }
        const resolved = this.resolve(n, scope);
        if (resolved) {
          const set = this.read.get(resolved.table) ?? new Set<string>();
          set.add(resolved.column);
          this.read.set(resolved.table, set);
        }
        return;
      }
      for (const value of Object.values(n)) visit(value);
    };
    visit(nodes);
  }

  /** Records what each `$n` in a value expression is compared with (`aid = $1 + $2`: both are aid's type). */
  private hintParams(
    value: Node | undefined,
    target: { table: string; column: string },
    array = false,
  ): void {
    if (!value) return;
    const param = value.ParamRef as { number?: number } | undefined;
    if (param?.number) {
      if (!this.paramHints.has(param.number))
        this.paramHints.set(param.number, { ...target, ...(array ? { array } : {}) });
      return;
    }
    if (value.A_Expr) {
      const e = value.A_Expr as Node;
      // Arithmetic between values takes the column's type; the right side of `ts - interval $2` is not a timestamp.
      if (['+', '-', '*', '/'].includes(opName(e))) {
        this.hintParams(e.lexpr as Node, target);
        if (!(e.rexpr as Node | undefined)?.TypeCast) this.hintParams(e.rexpr as Node, target);
      }
      return;
    }
    if (value.List)
      for (const item of ((value.List as Node).items as Node[]) ?? []) this.hintParams(item, target);
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
      if (bool.boolop === 'NOT_EXPR') this.condition((bool.args as Node[])[0], scope, 'NOT ');
      return; // OR rarely uses a plain btree index well
    }
    if (node.NullTest) {
      const test = node.NullTest as Node;
      this.column(test.arg as Node, scope, 'eq');
      this.condition(
        test.arg as Node,
        scope,
        '',
        test.nulltesttype === 'IS_NULL' ? ' IS NULL' : ' IS NOT NULL',
      );
      return;
    }
    if (node.BooleanTest) {
      const test = node.BooleanTest as Node;
      const words: Record<string, string> = {
        IS_TRUE: ' IS TRUE',
        IS_NOT_TRUE: ' IS NOT TRUE',
        IS_FALSE: ' IS FALSE',
        IS_NOT_FALSE: ' IS NOT FALSE',
      };
      const suffix = words[String(test.booltesttype)];
      if (suffix) this.condition(test.arg as Node, scope, '', suffix);
      return;
    }
    if (node.ColumnRef) {
      this.condition(node, scope, ''); // `where active`
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
      if (isValue(right)) {
        this.column(left, scope, 'eq');
        this.hintFor(left, right, scope);
      }
      return;
    }
    if (expr.kind === 'AEXPR_BETWEEN') {
      if (isValue(right)) {
        this.column(left, scope, 'range');
        this.hintFor(left, right, scope);
      }
      return;
    }
    const op = opName(expr);
    if (expr.kind === 'AEXPR_LIKE' || expr.kind === 'AEXPR_ILIKE' || PATTERN_OPS[op]) {
      const target = this.resolve(left, scope);
      if (target && isValue(right)) {
        this.patterns.push({
          ...target,
          op: PATTERN_OPS[op] ?? (expr.kind === 'AEXPR_ILIKE' ? 'ilike' : 'like'),
        });
        this.hintParams(right, target);
      }
      return;
    }
    if (expr.kind === 'AEXPR_OP_ANY' && op === '=' && isValue(right)) {
      this.column(left, scope, 'eq');
      const target = this.resolve(left, scope);
      if (target) this.hintParams(right, target, true);
      return;
    }
    if (expr.kind !== 'AEXPR_OP') return;
    const use: ColumnUseKind | undefined = op === '=' ? 'eq' : RANGE_OPS.has(op) ? 'range' : undefined;
    if (!use) return;
    if (columnOf(left) && columnOf(right)) {
      this.column(left, scope, 'join');
      this.column(right, scope, 'join');
    } else if (columnOf(left) && isValue(right)) {
      this.column(left, scope, use);
      this.hintFor(left, right, scope);
      if (op === '=' && right?.A_Const) this.constantEquality(left, right, scope);
    } else if (columnOf(right) && isValue(left)) {
      this.column(right, scope, use);
      this.hintFor(right, left, scope);
      if (op === '=' && left?.A_Const) this.constantEquality(right, left, scope);
    }
  }

  private hintFor(column: Node | undefined, value: Node | undefined, scope: Scope): void {
    const target = this.resolve(column, scope);
    if (target) this.hintParams(value, target);
  }

  /** A condition without parameters on a column: a possible partial-index predicate. */
  private condition(node: Node | undefined, scope: Scope, prefix: string, suffix = ''): void {
    const target = this.resolve(node, scope);
    if (target)
      this.conditions.push({ ...target, predicate: `${prefix}${quoteIdent(target.column)}${suffix}` });
  }

  /** `status = 'active'` (only in statements given directly: pg_stat_statements turns constants into $n). */
  private constantEquality(column: Node | undefined, constant: Node, scope: Scope): void {
    const target = this.resolve(column, scope);
    const literal = constantSql(constant.A_Const as Node);
    if (target && literal)
      this.conditions.push({ ...target, predicate: `${quoteIdent(target.column)} = ${literal}` });
  }

  private column(node: Node | undefined, scope: Scope, kind: ColumnUseKind): void {
    const resolved = this.resolve(node, scope);
    if (resolved) this.uses.push({ ...resolved, kind });
  }
}

/** Pattern operators by name (`LIKE` parses to `~~`). */
const PATTERN_OPS: Record<string, PatternUse['op']> = {
  '~~': 'like',
  '~~*': 'ilike',
  '~': 'regex',
  '~*': 'iregex',
};

/** A constant as SQL (string, integer, decimal or boolean), or undefined. */
function constantSql(c: Node): string | undefined {
  const sval = (c.sval as { sval?: string } | undefined)?.sval;
  if (sval !== undefined) return quoteLiteral(sval);
  if (c.ival !== undefined) return String((c.ival as { ival?: number }).ival ?? 0);
  const fval = (c.fval as { fval?: string } | undefined)?.fval;
  if (fval !== undefined && /^-?[0-9.]+$/.test(fval)) return fval;
  if (c.boolval !== undefined) return (c.boolval as { boolval?: boolean }).boolval ? 'true' : 'false';
  return undefined;
}
