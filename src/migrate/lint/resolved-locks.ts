import type { LintContext, LintStatement } from './lint-rule.js';
import { type LockMode, predictLocks } from './lock-model.js';
import type { QualifiedName } from './sql-tree.js';

/** A predicted lock, with index targets mapped to their table when it is known. */
export interface ResolvedLock {
  /** The table (or, when an index's table is unknown, the index) as written. */
  name: QualifiedName;
  /** `schema.name` of the table, or `index schema.name` when the index's table is unknown. */
  key: string;
  /** For messages: the table's name, or `the table of index x`. */
  label: string;
  mode: LockMode;
  /** Created earlier in the linted set: nobody else uses it. */
  isNew: boolean;
}

/** The table locks a statement takes, as {@link predictLocks} predicts them, resolved against what lint knows. */
export function resolvedLocks(ctx: LintContext, statement: LintStatement): ResolvedLock[] {
  return predictLocks(statement.kind, statement.stmt).map((lock) => {
    if (lock.index) {
      const index = ctx.index(lock.table);
      if (!index) {
        return {
          name: lock.table,
          key: `index ${lock.table.schema ? `${lock.table.schema}.` : ''}${lock.table.name}`,
          label: `the table of index ${lock.table.name}`,
          mode: lock.mode,
          isNew: false,
        };
      }
      const facts = ctx.table(index.table);
      return {
        name: index.table,
        key: facts.key,
        label: index.table.name,
        mode: lock.mode,
        isNew: facts.isNew,
      };
    }
    const facts = ctx.table(lock.table);
    return { name: lock.table, key: facts.key, label: lock.table.name, mode: lock.mode, isNew: facts.isNew };
  });
}
