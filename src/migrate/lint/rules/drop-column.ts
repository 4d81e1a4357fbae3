import { alterTableFindings } from '../alter-table-findings.js';
import type { LintRule } from '../lint-rule.js';

/** `DROP COLUMN` that running code may still read or write. */
export const dropColumn: LintRule = {
  name: 'drop-column',
  summary:
    'Dropping a column breaks running instances that still select or insert it (ORMs list columns explicitly).',
  defaultSeverity: 'warning',
  effect: 'break',
  counterparts: { squawk: ['ban-drop-column'], strongMigrations: ['remove_column'] },
  examples: {
    bad: ['alter table users drop column legacy_flag;'],
    good: ['create table users (id bigint, legacy_flag boolean); alter table users drop column legacy_flag;'],
  },
  check(ctx) {
    return alterTableFindings(ctx, (cmd, table, add) => {
      if (cmd.subtype !== 'AT_DropColumn' || !cmd.name) return;
      add({
        message: `Dropping ${table.name}.${cmd.name} breaks every running instance whose queries (or ORM models) still name it; the data is gone for good.`,
        fix: `First deploy code that no longer reads or writes ${cmd.name} (tell the ORM to ignore it), then drop the column in a later migration.`,
        at: cmd.node,
        table,
      });
    });
  },
};
