import { alterTableFindings } from '../alter-table-findings.js';
import type { LintRule } from '../lint-rule.js';
import { columnDefinition, names, unwrap } from '../sql-tree.js';
import { typeChangeVerdict } from '../type-change.js';

/** The USING clause of `ALTER COLUMN … TYPE`: absent, the column itself (or a cast of it), or an expression. */
function usingKind(raw: unknown, column: string): 'none' | 'column' | 'expression' {
  if (!raw) return 'none';
  const inner = unwrap(raw, 'TypeCast')?.arg ?? raw;
  const fields = names(unwrap(inner, 'ColumnRef')?.fields);
  return fields.length === 1 && fields[0] === column ? 'column' : 'expression';
}

/** `ALTER COLUMN … TYPE` that rewrites the table. */
export const changeColumnType: LintRule = {
  name: 'change-column-type',
  summary:
    'ALTER COLUMN … TYPE rewrites the table and its indexes under ACCESS EXCLUSIVE unless the change is binary coercible (e.g. varchar(n) → text).',
  defaultSeverity: 'error',
  effect: 'rewrite',
  counterparts: {
    squawk: ['changing-column-type'],
    strongMigrations: ['change_column', 'change_column_constraint'],
  },
  examples: {
    bad: [
      'alter table users alter column id type bigint;',
      'alter table users alter column email type varchar(100);',
      'alter table users alter column phone type text using phone::text;',
    ],
    good: [
      'create table t (a varchar(20)); alter table t alter column a type text;',
      'create table t (a varchar(20)); alter table t alter column a type varchar(40);',
      'create table t (a numeric(10,2)); alter table t alter column a type numeric(12,2);',
    ],
  },
  check(ctx) {
    return alterTableFindings(ctx, (cmd, table, add) => {
      if (cmd.subtype !== 'AT_AlterColumnType' || !cmd.name) return;
      const def = columnDefinition(cmd.def);
      if (!def?.type) return;
      const raw = unwrap(cmd.def, 'ColumnDef')?.raw_default;
      const verdict = typeChangeVerdict(ctx.columnType(table, cmd.name), def.type, {
        using: usingKind(raw, cmd.name),
        serverVersion: ctx.settings.serverVersion,
      });
      if (verdict.rewrites === 'no') return;
      add({
        message: `Changing the type of ${table.name}.${cmd.name} ${verdict.rewrites === 'yes' ? 'rewrites' : 'may rewrite'} the table and rebuilds its indexes while holding ACCESS EXCLUSIVE (no reads, no writes): ${verdict.reason}.`,
        fix: `Add a new column of the new type, keep it in sync (trigger or application writes), backfill it in batches, then switch readers over and drop the old column in a later release.`,
        at: def.type.location !== undefined ? { location: def.type.location } : cmd.node,
        table,
        ...(verdict.rewrites === 'unknown' ? { severity: 'warning' as const } : {}),
      });
    });
  },
};
