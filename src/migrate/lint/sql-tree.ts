/**
 * Small readers for libpg-query's JSON parse tree, so lint rules say what
 * they look for (`alterCommands(stmt)`, `typeNameOf(def)`) instead of
 * walking `{ AlterTableCmd: { def: { ColumnDef: … } } }` by hand.
 */

/** Any parse-tree node: an object keyed by its fields. */
export type Node = Record<string, unknown>;

/** The inner object of a wrapped node (`{ RangeVar: {...} }` → `{...}`), or the node itself. */
export function unwrap(node: unknown, kind: string): Node | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const inner = (node as Node)[kind];
  return inner && typeof inner === 'object' ? (inner as Node) : undefined;
}

/** The node type of a wrapped node (`{ ColumnDef: … }` → `ColumnDef`). */
export function nodeKind(node: unknown): string | undefined {
  return node && typeof node === 'object' ? Object.keys(node as Node)[0] : undefined;
}

/** An array field, or `[]`. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The text of `{ String: { sval } }` items of a name list. */
export function names(value: unknown): string[] {
  return list(value)
    .map((item) => unwrap(item, 'String')?.sval)
    .filter((s): s is string => typeof s === 'string');
}

/** A schema-qualified name as PostgreSQL resolves it: `schema` is undefined when the SQL did not say. */
export interface QualifiedName {
  schema: string | undefined;
  name: string;
}

/** The name in a RangeVar (bare, as in `IndexStmt.relation`, or wrapped). */
export function rangeVarName(node: unknown): QualifiedName | undefined {
  const rv = unwrap(node, 'RangeVar') ?? (node as Node | undefined);
  if (!rv || typeof rv.relname !== 'string') return undefined;
  return { schema: typeof rv.schemaname === 'string' ? rv.schemaname : undefined, name: rv.relname };
}

/** `['a', 'b']` (from a dotted name list) → `{ schema: 'a', name: 'b' }`. */
export function qualifiedFromNames(parts: readonly string[]): QualifiedName | undefined {
  if (parts.length === 0) return undefined;
  return { schema: parts.length > 1 ? parts.at(-2) : undefined, name: parts.at(-1)! };
}

/**
 * The byte offset where a node starts: its own `location`, or the smallest
 * `location` inside it (an `AlterTableCmd` has none of its own), when the
 * parser recorded one.
 */
export function locationOf(node: unknown): number | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const own = (node as Node).location;
  if (typeof own === 'number' && own >= 0) return own;
  let min: number | undefined;
  const visit = (value: unknown) => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value && typeof value === 'object') {
      const loc = (value as Node).location;
      if (typeof loc === 'number' && loc >= 0 && (min === undefined || loc < min)) min = loc;
      for (const inner of Object.values(value as Node)) visit(inner);
    }
  };
  visit(node);
  return min;
}

/** One `ALTER TABLE` sub-command. */
export interface AlterCommand {
  /** `AT_AddColumn`, `AT_AlterColumnType`, … */
  subtype: string;
  /** Column or constraint name the command is about, when it has one. */
  name: string | undefined;
  /** The `def` node (`ColumnDef`, `Constraint`, an expression …). */
  def: unknown;
  behavior: string | undefined;
  /** `IF EXISTS` / `IF NOT EXISTS` on the sub-command. */
  missingOk: boolean;
  node: Node;
}

/** The sub-commands of an `AlterTableStmt`. */
export function alterCommands(stmt: Node): AlterCommand[] {
  return list(stmt.cmds)
    .map((c) => unwrap(c, 'AlterTableCmd'))
    .filter((c): c is Node => c !== undefined)
    .map((c) => ({
      subtype: String(c.subtype ?? ''),
      name: typeof c.name === 'string' ? c.name : undefined,
      def: c.def,
      behavior: typeof c.behavior === 'string' ? c.behavior : undefined,
      missingOk: c.missing_ok === true,
      node: c,
    }));
}

/** A column definition (`CREATE TABLE` element or `ADD COLUMN`). */
export interface ColumnDefinition {
  name: string;
  type: TypeRef | undefined;
  constraints: Node[];
  node: Node;
}

/** Reads a `ColumnDef` node. */
export function columnDefinition(def: unknown): ColumnDefinition | undefined {
  const cd = unwrap(def, 'ColumnDef');
  if (!cd) return undefined;
  return {
    name: String(cd.colname ?? ''),
    type: typeRef(cd.typeName),
    constraints: list(cd.constraints)
      .map((c) => unwrap(c, 'Constraint'))
      .filter((c): c is Node => c !== undefined),
    node: cd,
  };
}

/** A type as written: its last name part in lower case, its modifiers and whether it is an array. */
export interface TypeRef {
  /** `int4`, `varchar`, `timestamp`, `serial`, `my_enum` … (the parser's internal names for built-ins). */
  name: string;
  /** Schema part, when written (`pg_catalog` for the parser's built-ins). */
  schema: string | undefined;
  /** Integer modifiers: `varchar(20)` → `[20]`; `numeric(10,2)` → `[10, 2]`. */
  mods: number[];
  array: boolean;
  location: number | undefined;
}

/** Reads a `TypeName` node. */
export function typeRef(typeName: unknown): TypeRef | undefined {
  const tn = (unwrap(typeName, 'TypeName') ?? typeName) as Node | undefined;
  if (!tn || !Array.isArray(tn.names)) return undefined;
  const parts = names(tn.names);
  const mods = list(tn.typmods).map((m) => {
    const c = unwrap(m, 'A_Const');
    const ival = c ? unwrap(c, 'ival') : undefined;
    return typeof ival?.ival === 'number' ? ival.ival : 0;
  });
  return {
    name: (parts.at(-1) ?? '').toLowerCase(),
    schema: parts.length > 1 ? parts[0] : undefined,
    mods,
    array: list(tn.arrayBounds).length > 0,
    location: typeof tn.location === 'number' ? tn.location : undefined,
  };
}

/** Human spelling of the parser's internal type names. */
const TYPE_SPELLING: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bpchar: 'char',
  varchar: 'varchar',
  bool: 'boolean',
  timestamptz: 'timestamptz',
  timestamp: 'timestamp',
  timetz: 'timetz',
};

/** `varchar(20)`, `integer`, `timestamp`, `text[]` — how a user would write the type. */
export function typeText(type: TypeRef): string {
  const base = TYPE_SPELLING[type.name] ?? type.name;
  const mods = type.mods.length > 0 ? `(${type.mods.join(',')})` : '';
  return `${base}${mods}${type.array ? '[]' : ''}`;
}

/** Visits every object node under `node`, depth first, with its wrapper key when it has one. */
export function walk(node: unknown, visit: (kind: string, inner: Node) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) if (item && typeof item === 'object') walk(item, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  // A plain loop, no regular expression or entry arrays: lint walks every parse tree several
  // times, and on a long history this loop was its hottest code (docs/migrate.md#performance).
  for (const key in node as Node) {
    const value = (node as Node)[key];
    if (!value || typeof value !== 'object') continue;
    const first = key.charCodeAt(0);
    if (first >= 65 && first <= 90 && !Array.isArray(value)) visit(key, value as Node);
    walk(value, visit);
  }
}

/** The string constants anywhere under `node` (`'happy'` in `update … set m = 'happy'`). */
export function stringConstants(node: unknown): string[] {
  const out: string[] = [];
  walk(node, (kind, inner) => {
    if (kind === 'A_Const') {
      const sval = unwrap(inner, 'sval')?.sval;
      if (typeof sval === 'string') out.push(sval);
    }
  });
  return out;
}

/** Reads a `SET name = value` statement: the setting, its value as text, and whether it is `SET LOCAL`. */
export function variableSet(stmt: Node): { name: string; value: string | undefined; local: boolean } {
  const args = list(stmt.args).map((a) => {
    const c = unwrap(a, 'A_Const');
    if (!c) return '';
    const s = unwrap(c, 'sval')?.sval;
    if (typeof s === 'string') return s;
    const i = unwrap(c, 'ival');
    if (i) return String(typeof i.ival === 'number' ? i.ival : 0);
    const f = unwrap(c, 'fval')?.fval;
    return typeof f === 'string' ? f : '';
  });
  return {
    name: String(stmt.name ?? '').toLowerCase(),
    value: stmt.kind === 'VAR_SET_VALUE' ? args.join(', ') : undefined,
    local: stmt.is_local === true,
  };
}

/** A column whose type a statement sets: in CREATE TABLE, ADD COLUMN or ALTER COLUMN … TYPE. */
export interface TypedColumn {
  table: QualifiedName | undefined;
  column: string;
  type: TypeRef;
  /** Constraints written with the column (CREATE TABLE, ADD COLUMN). */
  constraints: Node[];
}

// Five rules ask for every statement's typed columns: read each statement once (lint of a long
// history spent more time here than in any other reader; docs/migrate.md#performance).
const typedColumnsOf = new WeakMap<Node, readonly TypedColumn[]>();

/** The columns a statement gives a type to (computed once per statement; do not change the result). */
export function typedColumns(kind: string, stmt: Node): readonly TypedColumn[] {
  let columns = typedColumnsOf.get(stmt);
  if (!columns) {
    columns = readTypedColumns(kind, stmt);
    typedColumnsOf.set(stmt, columns);
  }
  return columns;
}

function readTypedColumns(kind: string, stmt: Node): TypedColumn[] {
  const out: TypedColumn[] = [];
  const table = rangeVarName(stmt.relation);
  if (kind === 'CreateStmt') {
    for (const element of list(stmt.tableElts)) {
      const column = columnDefinition(element);
      if (column?.type)
        out.push({ table, column: column.name, type: column.type, constraints: column.constraints });
    }
  } else if (kind === 'AlterTableStmt') {
    for (const cmd of alterCommands(stmt)) {
      const column = columnDefinition(cmd.def);
      if (!column?.type) continue;
      if (cmd.subtype === 'AT_AddColumn') {
        out.push({ table, column: column.name, type: column.type, constraints: column.constraints });
      } else if (cmd.subtype === 'AT_AlterColumnType' && cmd.name) {
        out.push({ table, column: cmd.name, type: column.type, constraints: [] });
      }
    }
  }
  return out;
}
