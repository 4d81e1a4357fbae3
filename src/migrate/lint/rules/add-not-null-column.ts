import { alterTableFindings } from '../alter-table-findings.js';
import type { LintRule } from '../lint-rule.js';
import { columnDefinition } from '../sql-tree.js';

/** `ADD COLUMN … NOT NULL` with no default: fails on a table that has rows. */
export const addNotNullColumn: LintRule = {
  name: 'add-not-null-column',
  summary: 'ADD COLUMN … NOT NULL without a DEFAULT fails as soon as the table has a row.',
  defaultSeverity: 'error',
  effect: 'break',
  counterparts: { squawk: ['adding-required-field'], strongMigrations: [] },
  examples: {
    bad: ['alter table users add column tenant_id bigint not null;'],
    good: [
      'alter table users add column tenant_id bigint;',
      'alter table users add column active boolean not null default true;',
      'alter table users add column seq bigint not null generated always as identity;',
      'create table users (id bigint); alter table users add column tenant_id bigint not null;',
    ],
  },
  check(ctx) {
    return alterTableFindings(ctx, (cmd, table, add) => {
      if (cmd.subtype !== 'AT_AddColumn') return;
      const column = columnDefinition(cmd.def);
      if (!column) return;
      const types = new Set(column.constraints.map((c) => String(c.contype)));
      const filled = ['CONSTR_DEFAULT', 'CONSTR_GENERATED', 'CONSTR_IDENTITY'].some((t) => types.has(t));
      const serial = column.type?.name.includes('serial') === true;
      if (!(types.has('CONSTR_NOTNULL') || types.has('CONSTR_PRIMARY')) || filled || serial) return;
      add({
        message: `${table.name}.${column.name} is NOT NULL without a default: the statement fails with "column contains null values" on any table with rows.`,
        fix: `Add ${column.name} as NULL (or with a constant DEFAULT), backfill it, then make it NOT NULL the safe way (CHECK … NOT VALID, VALIDATE, SET NOT NULL).`,
        at: column.node,
        table,
      });
    });
  },
};
