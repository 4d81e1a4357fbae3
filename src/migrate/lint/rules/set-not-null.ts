import { alterTableFindings } from '../alter-table-findings.js';
import type { LintRule } from '../lint-rule.js';

/** `ALTER COLUMN … SET NOT NULL` that scans the table under ACCESS EXCLUSIVE. */
export const setNotNull: LintRule = {
  name: 'set-not-null',
  summary:
    'SET NOT NULL scans the whole table under ACCESS EXCLUSIVE unless a validated CHECK (col IS NOT NULL) already proves it (PostgreSQL 12+).',
  defaultSeverity: 'error',
  effect: 'scan',
  counterparts: { squawk: ['adding-not-nullable-field'], strongMigrations: ['change_column_null'] },
  examples: {
    bad: [
      'alter table users alter column email set not null;',
      'alter table users add constraint email_nn check (email is not null) not valid; alter table users alter column email set not null;',
    ],
    good: [
      'alter table users add constraint email_nn check (email is not null) not valid;',
      'alter table users validate constraint email_nn;',
      'create table users (id bigint, email text); alter table users alter column email set not null;',
    ],
  },
  check(ctx) {
    return alterTableFindings(ctx, (cmd, table, add) => {
      if (cmd.subtype !== 'AT_SetNotNull' || !cmd.name) return;
      const key = `${ctx.table(table).key}.${cmd.name}`;
      if (ctx.settings.serverVersion >= 120000 && ctx.state.notNullChecks.has(key)) return;
      const proven =
        ctx.settings.serverVersion >= 120000
          ? ''
          : ' (before PostgreSQL 12 even a validated CHECK does not help)';
      add({
        message: `SET NOT NULL on ${table.name}.${cmd.name} reads every row to check it while holding ACCESS EXCLUSIVE (no reads, no writes)${proven}.`,
        fix: `Add CHECK (${cmd.name} IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT in a later migration (it scans under SHARE UPDATE EXCLUSIVE, which lets reads and writes through); SET NOT NULL then skips the scan and the CHECK can be dropped.`,
        at: cmd.node,
        table,
      });
    });
  },
};
