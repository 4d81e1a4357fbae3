import { alterTableFindings } from '../alter-table-findings.js';
import type { LintRule } from '../lint-rule.js';
import { columnDefinition, unwrap } from '../sql-tree.js';

const KIND: Record<string, string> = {
  CONSTR_PRIMARY: 'PRIMARY KEY',
  CONSTR_UNIQUE: 'UNIQUE',
  CONSTR_EXCLUSION: 'EXCLUDE',
};

/** PRIMARY KEY / UNIQUE / EXCLUDE constraints that build their index under ACCESS EXCLUSIVE. */
export const uniqueWithoutIndex: LintRule = {
  name: 'unique-without-index',
  summary:
    'ADD PRIMARY KEY / UNIQUE / EXCLUDE without USING INDEX builds the index while holding ACCESS EXCLUSIVE: no reads or writes for the whole build.',
  defaultSeverity: 'error',
  effect: 'scan',
  counterparts: {
    // squawk 2.61 also reports constraint-missing-not-valid on ADD UNIQUE / PRIMARY KEY, though
    // neither can be NOT VALID: this rule is tenon's finding on that statement, with a fix that works.
    squawk: [
      'disallowed-unique-constraint',
      'adding-serial-primary-key-field',
      'constraint-missing-not-valid',
    ],
    strongMigrations: ['add_unique_constraint', 'add_exclusion_constraint'],
  },
  examples: {
    bad: [
      'alter table users add constraint users_email_key unique (email);',
      'alter table users add primary key (id);',
      'alter table users add column code text unique;',
      'alter table bookings add constraint no_overlap exclude using gist (room with =, during with &&);',
    ],
    good: [
      'alter table users add constraint users_email_key unique using index users_email_idx;',
      'create table users (id bigint, email text); alter table users add constraint users_email_key unique (email);',
    ],
  },
  check(ctx) {
    const fix = (what: string) =>
      what === 'EXCLUDE'
        ? 'Exclusion constraints cannot be added from an existing index: add them while the table is new or small, or in a maintenance window.'
        : `CREATE UNIQUE INDEX CONCURRENTLY first (its own migration), then ALTER TABLE … ADD CONSTRAINT … ${what} USING INDEX <index> (a catalog change, instant)${what === 'PRIMARY KEY' ? '; make the columns NOT NULL beforehand the safe way, or the ADD scans the table' : ''}.`;
    return alterTableFindings(ctx, (cmd, table, add) => {
      if (cmd.subtype === 'AT_AddConstraint') {
        const c = unwrap(cmd.def, 'Constraint');
        const what = c ? KIND[String(c.contype)] : undefined;
        if (!c || !what || typeof c.indexname === 'string') return;
        add({
          message: `Adding ${what}${typeof c.conname === 'string' ? ` ${c.conname}` : ''} to ${table.name} builds its index while holding ACCESS EXCLUSIVE: no reads or writes until the build ends.`,
          fix: fix(what),
          at: cmd.node,
          table,
        });
      } else if (cmd.subtype === 'AT_AddColumn') {
        const column = columnDefinition(cmd.def);
        const c = column?.constraints.find(
          (k) => k.contype === 'CONSTR_PRIMARY' || k.contype === 'CONSTR_UNIQUE',
        );
        if (!column || !c) return;
        const what = KIND[String(c.contype)]!;
        add({
          message: `Adding ${table.name}.${column.name} with ${what} builds a unique index over every row while holding ACCESS EXCLUSIVE.`,
          fix: `Add the column without ${what}; ${fix(what)}`,
          at: c,
          table,
        });
      }
    });
  },
};
