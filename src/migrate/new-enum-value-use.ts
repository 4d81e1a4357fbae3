import { TenonError } from '../core/errors.js';
import { names, stringConstants } from './lint/sql-tree.js';

/** The part of a planned statement this check reads. */
interface Statement {
  index: number;
  line: number;
  column: number;
  kind: string;
  node: Record<string, unknown>;
}

/** A value added by `ALTER TYPE … ADD VALUE` and used by a later statement of the same transaction. */
export interface NewEnumValueUse {
  value: string;
  /** The type as written (`mood`, `app.mood`). */
  type: string;
  added: Statement;
  used: Statement;
}

const stmtOf = (s: Statement) => (s.node[s.kind] ?? {}) as Record<string, unknown>;

/**
 * Finds a value added with `ALTER TYPE … ADD VALUE` and then used (as a
 * string constant) by a later statement of the same transaction, which
 * PostgreSQL rejects with "unsafe use of new value" (SQLSTATE 55P04): a new
 * enum value is usable only after the transaction that added it commits.
 * A type created in the same transaction is exempt (PostgreSQL allows it).
 * Matching is by the constant's text, as the value is used in practice
 * (`set m = 'happy'`, `default 'happy'`, `where m = 'happy'`).
 */
export function findNewEnumValueUse(statements: readonly Statement[]): NewEnumValueUse | undefined {
  const created = new Set<string>();
  const added: { value: string; type: string; statement: Statement }[] = [];
  for (const statement of statements) {
    const stmt = stmtOf(statement);
    if (statement.kind === 'CreateEnumStmt') {
      created.add(names(stmt.typeName).at(-1) ?? '');
      continue;
    }
    if (statement.kind === 'AlterEnumStmt' && typeof stmt.newVal === 'string' && !stmt.oldVal) {
      const typeNames = names(stmt.typeName);
      if (!created.has(typeNames.at(-1) ?? '')) {
        added.push({ value: stmt.newVal, type: typeNames.join('.'), statement });
      }
      continue;
    }
    if (added.length === 0) continue;
    const constants = new Set(stringConstants(stmt));
    const hit = added.find((a) => constants.has(a.value));
    if (hit) return { value: hit.value, type: hit.type, added: hit.statement, used: statement };
  }
  return undefined;
}

/** The error `up` (and `down`) raise before anything runs when a transactional migration uses an enum value it adds. */
export function newEnumValueUseError(file: string, use: NewEnumValueUse): TenonError {
  return new TenonError(
    'TENON_MIGRATE_ENUM_VALUE_IN_TRANSACTION',
    `${file}:${use.used.line}:${use.used.column}: statement ${use.used.index} uses '${use.value}', which statement ${use.added.index} (line ${use.added.line}) adds to ${use.type} in the same transaction; PostgreSQL refuses it ("unsafe use of new value") until that transaction commits. Nothing was run.`,
    {
      hint: `Move ALTER TYPE ${use.type} ADD VALUE '${use.value}' into a migration of its own before this one (each migration commits on its own), or mark this file "-- migrate:up transaction:false" so each statement commits before the next. If '${use.value}' is only text here (not a ${use.type} value), write "-- tenon-lint-disable enum-value-in-transaction" on that statement.`,
      details: {
        file,
        line: use.used.line,
        column: use.used.column,
        value: use.value,
        type: use.type,
        addedAtLine: use.added.line,
      },
    },
  );
}
