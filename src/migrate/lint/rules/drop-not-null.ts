import { alterTableFindings } from '../alter-table-findings.js';
import type { LintRule } from '../lint-rule.js';

/** `ALTER COLUMN … DROP NOT NULL`. */
export const dropNotNull: LintRule = {
  name: 'drop-not-null',
  summary: 'DROP NOT NULL lets new code write NULLs that running (older) code does not expect.',
  defaultSeverity: 'info',
  effect: 'break',
  counterparts: { squawk: ['ban-drop-not-null'], strongMigrations: [] },
  examples: {
    bad: ['alter table users alter column email drop not null;'],
    good: [
      'create table users (id bigint, email text not null); alter table users alter column email drop not null;',
    ],
  },
  check(ctx) {
    return alterTableFindings(ctx, (cmd, table, add) => {
      if (cmd.subtype !== 'AT_DropNotNull' || !cmd.name) return;
      add({
        message: `${table.name}.${cmd.name} may now be NULL: instances still running the previous release (and rollbacks to it) may not handle a NULL they read.`,
        fix: 'Deploy code that handles NULL first; drop the constraint in a later release.',
        at: cmd.node,
        table,
      });
    });
  },
};
