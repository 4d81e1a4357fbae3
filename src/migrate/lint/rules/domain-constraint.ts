import type { LintRule } from '../lint-rule.js';
import { list, unwrap } from '../sql-tree.js';

/** Constraints on domains. */
export const domainConstraint: LintRule = {
  name: 'domain-constraint',
  summary:
    'ALTER DOMAIN … ADD CONSTRAINT checks every column of the domain in every table under a lock; CHECKs on domains are hard to change later.',
  defaultSeverity: 'warning',
  effect: 'none',
  counterparts: {
    squawk: ['ban-alter-domain-with-add-constraint', 'ban-create-domain-with-constraint'],
    strongMigrations: [],
  },
  examples: {
    bad: [
      "alter domain email add constraint email_at check (value like '%@%');",
      'create domain positive_int as integer check (value > 0);',
    ],
    good: [
      'create domain email as text;',
      "alter domain email add constraint email_at check (value like '%@%') not valid;",
    ],
  },
  check(ctx) {
    const s = ctx.statement.stmt;
    if (ctx.statement.kind === 'AlterDomainStmt' && s.subtype === 'C') {
      const c = unwrap(s.def, 'Constraint');
      if (!c || c.skip_validation === true) return undefined;
      return {
        message:
          'ALTER DOMAIN … ADD CONSTRAINT scans every column of this domain in every table to validate it, locking each table against writes meanwhile.',
        fix: 'Add it NOT VALID, then ALTER DOMAIN … VALIDATE CONSTRAINT in a later migration; or use a CHECK on the columns.',
      };
    }
    if (
      ctx.statement.kind === 'CreateDomainStmt' &&
      list(s.constraints).some((c) => unwrap(c, 'Constraint')?.contype === 'CONSTR_CHECK')
    ) {
      return {
        message:
          'A CHECK on a domain applies to every column of the domain; changing it later means ALTER DOMAIN, which checks all those columns in every table at once.',
        fix: 'Prefer CHECK constraints on the columns (they can be replaced online, one table at a time), or keep the domain without CHECK.',
      };
    }
    return undefined;
  },
};
