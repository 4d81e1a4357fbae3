import { alterTableFindings } from '../alter-table-findings.js';
import type { LintRule } from '../lint-rule.js';
import { rangeVarName, unwrap } from '../sql-tree.js';

/** `DETACH PARTITION` without `CONCURRENTLY`. */
export const detachPartitionNotConcurrent: LintRule = {
  name: 'detach-partition-not-concurrent',
  summary:
    'DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the partitioned table (PostgreSQL 14+ can do it concurrently).',
  defaultSeverity: 'warning',
  effect: 'lock',
  counterparts: { squawk: ['require-concurrent-partition-detach'], strongMigrations: [] },
  examples: {
    bad: [{ sql: 'alter table measurements detach partition measurements_2020;', serverVersion: 150000 }],
    good: [
      'alter table measurements detach partition measurements_2020 concurrently;',
      { sql: 'alter table measurements detach partition measurements_2020;', serverVersion: 130000 },
    ],
  },
  check(ctx) {
    if (ctx.settings.serverVersion < 140000) return undefined;
    return alterTableFindings(ctx, (cmd, table, add) => {
      const partition = unwrap(cmd.def, 'PartitionCmd');
      if (cmd.subtype !== 'AT_DetachPartition' || partition?.concurrent === true) return;
      add({
        message: `DETACH PARTITION ${rangeVarName(partition?.name)?.name ?? ''} takes ACCESS EXCLUSIVE on ${table.name}: every query on the partitioned table waits.`,
        fix: 'Use DETACH PARTITION … CONCURRENTLY in a migration of its own (it runs outside a transaction).',
        at: cmd.node,
        table,
      });
    });
  },
};
