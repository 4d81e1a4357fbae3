import type { LintRule } from '../lint-rule.js';
import { names, qualifiedFromNames } from '../sql-tree.js';

/** `ALTER TYPE … RENAME VALUE` while running code still writes the old label. */
export const renameEnumValue: LintRule = {
  name: 'rename-enum-value',
  summary: 'Renaming an enum value breaks the application instances still writing the old label.',
  defaultSeverity: 'warning',
  effect: 'break',
  counterparts: { squawk: [], strongMigrations: ['rename_enum_value'] },
  examples: {
    bad: ["alter type mood rename value 'sad' to 'unhappy';"],
    good: [
      "create type mood as enum ('ok', 'sad'); alter type mood rename value 'sad' to 'unhappy';",
      "alter type mood add value 'happy';",
    ],
  },
  check(ctx) {
    const s = ctx.statement.stmt;
    if (ctx.statement.kind !== 'AlterEnumStmt' || typeof s.oldVal !== 'string') return undefined;
    const type = qualifiedFromNames(names(s.typeName));
    // A type created earlier in the linted set has no running code using it yet.
    if (!type || ctx.state.newTypes.has(ctx.state.key(type))) return undefined;
    const newVal = String(s.newVal);
    return {
      message: `Renaming value '${s.oldVal}' of ${type.name} to '${newVal}' makes every running instance that writes or compares '${s.oldVal}' fail ("invalid input value for enum") until all of them are deployed with the new label.`,
      fix: `Add '${newVal}' (ALTER TYPE … ADD VALUE), deploy code that reads both and writes '${newVal}', update the rows that hold '${s.oldVal}' in batches, and stop using '${s.oldVal}' (an enum value cannot be dropped: leave it, or move to a new type).`,
    };
  },
};
