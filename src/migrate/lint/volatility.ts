import { BUILTIN_IMMUTABLE, BUILTIN_STABLE, BUILTIN_VOLATILE } from './builtin-volatility.js';
import { list, type Node, names, nodeKind, unwrap } from './sql-tree.js';

/** How often a function's result may change: PostgreSQL's `provolatile`, or unknown. */
export type Volatility = 'volatile' | 'stable' | 'immutable' | 'unknown';

let builtins: Map<string, Volatility> | undefined;

/** Functions of common extensions that migrations use in defaults (uuid-ossp, pgcrypto). */
const EXTENSION_FUNCTIONS: Record<string, Volatility> = {
  uuid_generate_v1: 'volatile',
  uuid_generate_v1mc: 'volatile',
  uuid_generate_v4: 'volatile',
  uuid_generate_v3: 'immutable',
  uuid_generate_v5: 'immutable',
  uuid_nil: 'immutable',
  gen_random_bytes: 'volatile',
  gen_salt: 'volatile',
};

/** The volatility of a built-in (pg_catalog) function, or of a well-known extension function. */
export function builtinVolatility(name: string): Volatility {
  if (!builtins) {
    builtins = new Map();
    for (const [text, volatility] of [
      [BUILTIN_IMMUTABLE, 'immutable'],
      [BUILTIN_STABLE, 'stable'],
      [BUILTIN_VOLATILE, 'volatile'],
    ] as const) {
      for (const fn of text.split(' ')) if (fn) builtins.set(fn, volatility);
    }
  }
  return builtins.get(name) ?? EXTENSION_FUNCTIONS[name] ?? 'unknown';
}

/** The most volatile of two verdicts (`unknown` counts as worse than `stable`, better than `volatile`). */
function worse(a: Volatility, b: Volatility): Volatility {
  const rank: Record<Volatility, number> = { immutable: 0, stable: 1, unknown: 2, volatile: 3 };
  return rank[a] >= rank[b] ? a : b;
}

/**
 * The volatility of a default expression, from its parse tree: constants,
 * casts, operators on them and `CURRENT_TIMESTAMP`-like keywords are not
 * volatile; a function call is as volatile as `lookup` says (built-ins from
 * PostgreSQL's catalog, others from the database when one is given). A
 * sub-query, or anything tenon does not recognise, is `unknown`.
 */
export function expressionVolatility(expr: unknown, lookup: (fn: string) => Volatility): Volatility {
  const kind = nodeKind(expr);
  if (!kind) return 'immutable';
  const node = unwrap(expr, kind) as Node;
  switch (kind) {
    case 'A_Const':
      return 'immutable';
    case 'SQLValueFunction':
      // CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_USER, LOCALTIME …: stable.
      return 'stable';
    case 'TypeCast':
      return expressionVolatility(node.arg, lookup);
    case 'CollateClause':
      return expressionVolatility(node.arg, lookup);
    case 'A_Expr':
      return worse(expressionVolatility(node.lexpr, lookup), expressionVolatility(node.rexpr, lookup));
    case 'BoolExpr':
    case 'CoalesceExpr':
    case 'MinMaxExpr':
      return list(node.args).reduce<Volatility>(
        (v, a) => worse(v, expressionVolatility(a, lookup)),
        'immutable',
      );
    case 'A_ArrayExpr':
      return list(node.elements).reduce<Volatility>(
        (v, a) => worse(v, expressionVolatility(a, lookup)),
        'immutable',
      );
    case 'CaseExpr': {
      let v = worse(expressionVolatility(node.arg, lookup), expressionVolatility(node.defresult, lookup));
      for (const when of list(node.args)) {
        const w = unwrap(when, 'CaseWhen');
        v = worse(v, worse(expressionVolatility(w?.expr, lookup), expressionVolatility(w?.result, lookup)));
      }
      return v;
    }
    case 'FuncCall': {
      const fn = names(node.funcname).at(-1)?.toLowerCase() ?? '';
      let v = lookup(fn);
      for (const arg of list(node.args)) v = worse(v, expressionVolatility(arg, lookup));
      return v;
    }
    case 'NullTest':
    case 'BooleanTest':
      return expressionVolatility(node.arg, lookup);
    default:
      return 'unknown';
  }
}

/** The function names called anywhere in an expression (to look them up in the database). */
export function calledFunctions(expr: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(expr)) {
    for (const item of expr) calledFunctions(item, out);
  } else if (expr && typeof expr === 'object') {
    const call = unwrap(expr, 'FuncCall');
    if (call) {
      const fn = names(call.funcname).at(-1)?.toLowerCase();
      if (fn) out.add(fn);
    }
    // for…in, not Object.values: lint runs this over every statement of every pending file.
    for (const key in expr as Node) {
      const value = (expr as Node)[key];
      if (value && typeof value === 'object') calledFunctions(value, out);
    }
  }
  return out;
}
