import type { LintRule, RuleFinding } from '../lint-rule.js';
import { names, qualifiedFromNames, stringConstants } from '../sql-tree.js';

/** A value added with ALTER TYPE … ADD VALUE and used in the same transaction. */
export const enumValueInTransaction: LintRule = {
  name: 'enum-value-in-transaction',
  summary:
    'A value added with ALTER TYPE … ADD VALUE cannot be used before its transaction commits ("unsafe use of new value"); before PostgreSQL 12 ADD VALUE cannot run in a transaction at all.',
  defaultSeverity: 'error',
  effect: 'none',
  counterparts: { squawk: [], strongMigrations: [] },
  examples: {
    bad: [
      "alter type mood add value 'happy'; update people set m = 'happy' where id = 1;",
      { sql: "alter type mood add value 'happy'; create table t (id bigint);", serverVersion: 110000 },
    ],
    good: [
      "alter type mood add value 'happy';",
      "create type mood as enum ('ok'); alter type mood add value 'happy'; create table p (m mood default 'happy');",
    ],
  },
  check(ctx) {
    if (!ctx.migration.transactional) return undefined;
    const findings: RuleFinding[] = [];
    const s = ctx.statement.stmt;
    if (ctx.statement.kind === 'AlterEnumStmt' && typeof s.newVal === 'string' && !s.oldVal) {
      if (ctx.settings.serverVersion < 120000) {
        findings.push({
          message: `ALTER TYPE … ADD VALUE '${s.newVal}' cannot run inside a transaction block before PostgreSQL 12, and tenon runs this migration in one.`,
          fix: 'Put ADD VALUE in a migration of its own with `-- migrate:up transaction:false`, or upgrade to PostgreSQL 12+.',
        });
      }
      return findings;
    }
    for (const [value, type] of ctx.state.enumValuesAdded) {
      const createdHere = ctx.earlier.some((e) => {
        if (e.kind !== 'CreateEnumStmt') return false;
        const name = qualifiedFromNames(names(e.stmt.typeName));
        return name !== undefined && ctx.state.key(name) === type;
      });
      if (createdHere || !stringConstants(s).includes(value)) continue;
      findings.push({
        message: `'${value}' was added to ${type} earlier in this migration, and a new enum value cannot be used until the transaction that added it commits: this statement fails with "unsafe use of new value".`,
        fix: `Add the value in one migration and use it in the next (each migration commits on its own).`,
      });
    }
    return findings;
  },
};
