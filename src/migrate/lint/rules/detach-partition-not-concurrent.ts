import type { LintRule, RuleFinding } from '../lint-rule.js';
import { alterCommands, rangeVarName, unwrap } from '../sql-tree.js';

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
    if (ctx.statement.kind !== 'AlterTableStmt' || ctx.settings.serverVersion < 140000) return undefined;
    const table = rangeVarName(ctx.statement.stmt.relation);
    if (!table) return undefined;
    const findings: RuleFinding[] = [];
    for (const cmd of alterCommands(ctx.statement.stmt)) {
      const partition = unwrap(cmd.def, 'PartitionCmd');
      if (cmd.subtype !== 'AT_DetachPartition' || partition?.concurrent === true) continue;
      findings.push({
        message: `DETACH PARTITION ${rangeVarName(partition?.name)?.name ?? ''} takes ACCESS EXCLUSIVE on ${table.name}: every query on the partitioned table waits.`,
        fix: 'Use DETACH PARTITION … CONCURRENTLY in a migration of its own (it runs outside a transaction).',
        at: cmd.node,
        table,
      });
    }
    return findings;
  },
};
