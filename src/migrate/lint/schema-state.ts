import type { LintStatement } from './lint-statement.js';
import {
  alterCommands,
  columnDefinition,
  list,
  type Node,
  names,
  type QualifiedName,
  qualifiedFromNames,
  rangeVarName,
  type TypeRef,
  unwrap,
  variableSet,
} from './sql-tree.js';

/** A table created in the linted set, with the columns it was given there. */
export interface NewTable {
  columns: Map<string, TypeRef | undefined>;
  /** The file that created it. */
  file: string;
}

/** The column a `CHECK (col IS NOT NULL)` expression is about, or undefined. */
export function notNullCheckColumn(expr: unknown): string | undefined {
  const test = unwrap(expr, 'NullTest');
  if (test?.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const fields = names(unwrap(test.arg, 'ColumnRef')?.fields);
  return fields.length === 1 ? fields[0] : undefined;
}

/** The name parts of one object of a `DROP` (a name list, a type name, or a bare name). */
export function objectNameParts(object: unknown): string[] {
  const fromList = names(unwrap(object, 'List')?.items);
  if (fromList.length > 0) return fromList;
  const fromType = names(unwrap(object, 'TypeName')?.names);
  if (fromType.length > 0) return fromType;
  return names([object]);
}

/**
 * What the statements linted so far did to the schema, so that later rules
 * know that a table is new (nobody else uses it yet), what type a column
 * has, and which NOT NULL checks are validated. Updated after each statement
 * with {@link SchemaState.apply}.
 */
export class SchemaState {
  /** `search_path` as set by the current migration (reset at each migration: tenon starts each from a clean session). */
  searchPath: string[] = ['public'];
  readonly newTables = new Map<string, NewTable>();
  /** Indexes created in the set (dropped ones too): `schema.name` → table key and uniqueness. */
  readonly newIndexes = new Map<string, { table: string; unique: boolean }>();
  /** Types (enums, domains, composites) created in the set. */
  readonly newTypes = new Set<string>();
  /** `schema.table.column` with a validated `CHECK (column IS NOT NULL)` added in the set. */
  readonly notNullChecks = new Set<string>();
  /** Constraints added `NOT VALID` in the set: `schema.table.constraint` → the NOT NULL column it checks, if any. */
  readonly notValidConstraints = new Map<string, { column: string | undefined; file: string }>();
  /** Enum values added by the current migration: value → type key. */
  enumValuesAdded = new Map<string, string>();

  /** Called at the start of each migration. */
  startMigration(): void {
    this.searchPath = ['public'];
    this.enumValuesAdded = new Map();
  }

  /** `schema.name` of a name as written, resolving unqualified names against `search_path`. */
  key(name: QualifiedName, exists?: (key: string) => boolean): string {
    if (name.schema) return `${name.schema}.${name.name}`;
    for (const schema of this.searchPath) {
      const candidate = `${schema}.${name.name}`;
      if (this.newTables.has(candidate) || this.newIndexes.has(candidate) || exists?.(candidate)) {
        return candidate;
      }
    }
    return `${this.searchPath[0] ?? 'public'}.${name.name}`;
  }

  /**
   * Records only what a statement does to the search path (`SET search_path`):
   * all that resolving unqualified names needs, without reading the tables a
   * statement creates or changes.
   */
  applySearchPath(statement: LintStatement): void {
    if (statement.kind !== 'VariableSetStmt') return;
    const set = variableSet(statement.stmt);
    if (set.name !== 'search_path') return;
    this.searchPath =
      set.value === undefined
        ? ['public']
        : set.value
            .split(',')
            .map((p) => p.trim().replace(/^"|"$/g, ''))
            .filter((p) => p && p !== '$user');
    if (this.searchPath.length === 0) this.searchPath = ['public'];
  }

  /** Records the effect of one statement. */
  apply(statement: LintStatement, file: string): void {
    const s = statement.stmt;
    switch (statement.kind) {
      case 'CreateStmt':
        this.#createTable(s, file);
        break;
      case 'CreateTableAsStmt': {
        const into = unwrap(s, 'into') ?? (s.into as Node | undefined);
        const name = rangeVarName(into?.rel);
        if (name) this.newTables.set(this.key(name), { columns: new Map(), file });
        break;
      }
      case 'DropStmt':
        this.#drop(s);
        break;
      case 'RenameStmt':
        this.#rename(s);
        break;
      case 'AlterTableStmt':
        this.#alterTable(s, file);
        break;
      case 'IndexStmt': {
        const table = rangeVarName(s.relation);
        if (table && typeof s.idxname === 'string') {
          const tableKey = this.key(table);
          const schema = tableKey.slice(0, tableKey.indexOf('.'));
          this.newIndexes.set(`${schema}.${s.idxname}`, { table: tableKey, unique: s.unique === true });
        }
        break;
      }
      case 'CreateEnumStmt':
      case 'CreateDomainStmt':
      case 'CompositeTypeStmt':
      case 'CreateRangeStmt': {
        const parts = names(s.typeName ?? s.domainname ?? unwrap(s.typevar, 'RangeVar')?.relname);
        const rv = rangeVarName(s.typevar);
        const name = rv ?? qualifiedFromNames(parts);
        if (name) this.newTypes.add(this.key(name));
        break;
      }
      case 'VariableSetStmt':
        this.applySearchPath(statement);
        break;
      case 'AlterEnumStmt': {
        const name = qualifiedFromNames(names(s.typeName));
        if (name && typeof s.newVal === 'string' && !s.oldVal) {
          this.enumValuesAdded.set(s.newVal, this.key(name));
        }
        break;
      }
      default:
        break;
    }
  }

  #createTable(s: Node, file: string): void {
    const name = rangeVarName(s.relation);
    if (!name) return;
    const key = this.key(name);
    const columns = new Map<string, TypeRef | undefined>();
    for (const element of list(s.tableElts)) {
      const column = columnDefinition(element);
      if (column) {
        columns.set(column.name, column.type);
        continue;
      }
      const constraint = unwrap(element, 'Constraint');
      if (constraint?.contype === 'CONSTR_CHECK' && constraint.skip_validation !== true) {
        const col = notNullCheckColumn(constraint.raw_expr);
        if (col) this.notNullChecks.add(`${key}.${col}`);
      }
    }
    this.newTables.set(key, { columns, file });
  }

  #drop(s: Node): void {
    for (const object of list(s.objects)) {
      const name = qualifiedFromNames(objectNameParts(object));
      if (!name) continue;
      const key = this.key(name);
      if (s.removeType === 'OBJECT_TABLE') this.newTables.delete(key);
      // A dropped index keeps its entry: later rules still ask which table the DROP INDEX locked.
      else if (s.removeType === 'OBJECT_TYPE' || s.removeType === 'OBJECT_DOMAIN') this.newTypes.delete(key);
    }
  }

  #rename(s: Node): void {
    const name = rangeVarName(s.relation);
    if (!name || typeof s.newname !== 'string') return;
    const key = this.key(name);
    const table = this.newTables.get(key);
    if (s.renameType === 'OBJECT_TABLE' && table) {
      this.newTables.delete(key);
      this.newTables.set(`${key.slice(0, key.indexOf('.'))}.${s.newname}`, table);
    } else if (s.renameType === 'OBJECT_COLUMN' && table && typeof s.subname === 'string') {
      const type = table.columns.get(s.subname);
      table.columns.delete(s.subname);
      table.columns.set(s.newname, type);
    }
  }

  #alterTable(s: Node, file: string): void {
    const name = rangeVarName(s.relation);
    if (!name) return;
    const key = this.key(name);
    const table = this.newTables.get(key);
    for (const cmd of alterCommands(s)) {
      switch (cmd.subtype) {
        case 'AT_AddColumn': {
          const column = columnDefinition(cmd.def);
          if (column && table) table.columns.set(column.name, column.type);
          break;
        }
        case 'AT_DropColumn':
          if (cmd.name && table) table.columns.delete(cmd.name);
          break;
        case 'AT_AlterColumnType': {
          const column = columnDefinition(cmd.def);
          if (cmd.name && table && column) table.columns.set(cmd.name, column.type);
          break;
        }
        case 'AT_AddConstraint': {
          const constraint = unwrap(cmd.def, 'Constraint');
          if (constraint?.contype !== 'CONSTR_CHECK' && constraint?.contype !== 'CONSTR_FOREIGN') break;
          const column =
            constraint.contype === 'CONSTR_CHECK' ? notNullCheckColumn(constraint.raw_expr) : undefined;
          if (constraint.skip_validation === true) {
            if (typeof constraint.conname === 'string') {
              this.notValidConstraints.set(`${key}.${constraint.conname}`, { column, file });
            }
          } else if (column) {
            this.notNullChecks.add(`${key}.${column}`);
          }
          break;
        }
        case 'AT_ValidateConstraint': {
          const pending = cmd.name ? this.notValidConstraints.get(`${key}.${cmd.name}`) : undefined;
          if (pending?.column) this.notNullChecks.add(`${key}.${pending.column}`);
          break;
        }
        default:
          break;
      }
    }
  }
}
