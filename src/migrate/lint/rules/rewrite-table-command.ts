import type { LintRule, RuleFinding } from '../lint-rule.js';
import { alterCommands, list, rangeVarName, unwrap } from '../sql-tree.js';

/** VACUUM FULL, CLUSTER and other commands that rewrite a whole table under ACCESS EXCLUSIVE. */
export const rewriteTableCommand: LintRule = {
  name: 'rewrite-table-command',
  summary:
    'VACUUM FULL, CLUSTER, ALTER TABLE … SET TABLESPACE / SET LOGGED / SET ACCESS METHOD rewrite the table under ACCESS EXCLUSIVE.',
  defaultSeverity: 'error',
  effect: 'rewrite',
  counterparts: { squawk: ['prefer-repack'], strongMigrations: [] },
  examples: {
    bad: [
      'vacuum full users;',
      'vacuum (full, analyze) users;',
      'cluster users using users_pkey;',
      'alter table users set tablespace fast_ssd;',
      'alter table users set logged;',
    ],
    good: ['vacuum (analyze) users;', 'vacuum users;'],
  },
  check(ctx) {
    const s = ctx.statement.stmt;
    const fix =
      'Use pg_repack (or pg_squeeze) to rebuild the table online, outside migrations; plain VACUUM (which does not block) reclaims space for reuse.';
    if (ctx.statement.kind === 'VacuumStmt') {
      const full = list(s.options).some((o) => unwrap(o, 'DefElem')?.defname === 'full');
      if (!full || s.is_vacuumcmd !== true) return undefined;
      const rels = list(s.rels).map((r) => rangeVarName(unwrap(r, 'VacuumRelation')?.relation));
      if (rels.length === 0) {
        return {
          message: 'VACUUM FULL of the whole database rewrites every table, each under ACCESS EXCLUSIVE.',
          fix,
        };
      }
      return rels
        .filter((r) => r !== undefined)
        .map((table) => ({
          message: `VACUUM FULL ${table.name} writes a new copy of the table and its indexes while holding ACCESS EXCLUSIVE (no reads, no writes).`,
          fix,
          table,
        }));
    }
    if (ctx.statement.kind === 'ClusterStmt') {
      const table = rangeVarName(s.relation);
      return {
        message: `CLUSTER ${table?.name ?? '(every clustered table)'} rewrites the table in index order while holding ACCESS EXCLUSIVE (no reads, no writes).`,
        fix,
        ...(table ? { table } : {}),
      };
    }
    if (ctx.statement.kind === 'AlterTableStmt') {
      const table = rangeVarName(s.relation);
      const findings: RuleFinding[] = [];
      for (const cmd of alterCommands(s)) {
        const what =
          cmd.subtype === 'AT_SetTableSpace'
            ? 'SET TABLESPACE copies the table'
            : cmd.subtype === 'AT_SetLogged' || cmd.subtype === 'AT_SetUnLogged'
              ? `${cmd.subtype === 'AT_SetLogged' ? 'SET LOGGED' : 'SET UNLOGGED'} rewrites the table`
              : cmd.subtype === 'AT_SetAccessMethod'
                ? 'SET ACCESS METHOD rewrites the table'
                : undefined;
        if (!what || !table) continue;
        findings.push({
          message: `${what} ${table.name} while holding ACCESS EXCLUSIVE (no reads, no writes).`,
          fix: 'Do it in a maintenance window, or build a new table and switch over; pg_repack can move a table to another tablespace online.',
          at: cmd.node,
          table,
        });
      }
      return findings;
    }
    return undefined;
  },
};
