import { quoteIdent, quoteQualified } from '../../core/sql/quote.js';
import { userRelationFilter } from '../catalog/values.js';
import type { Check, Finding } from '../check.js';
import { TAG, toMigrationName } from '../sql-text.js';

/** Constraints added NOT VALID and never validated: existing rows were never checked (PgHero's check). */
export const invalidConstraint: Check = {
  id: 'invalid-constraint',
  title: 'Constraints not validated',
  severities: { warning: 'a CHECK or FOREIGN KEY constraint added NOT VALID and never validated' },
  requires: [],
  async run(ctx) {
    const { rows } = await ctx.db.query<{ schema: string; table_name: string; name: string; type: string }>(
      `select ${TAG} n.nspname as schema, c.relname as table_name, con.conname as name, con.contype::text as type
       from pg_constraint con
       join pg_class c on c.oid = con.conrelid
       join pg_namespace n on n.oid = c.relnamespace
       where not con.convalidated and ${userRelationFilter('c', 'n')}`,
    );
    return rows.map(
      (r): Finding => ({
        check: 'invalid-constraint',
        severity: 'warning',
        title: `${r.type === 'f' ? 'foreign key' : 'check constraint'} ${r.name} on ${r.schema}.${r.table_name} was never validated`,
        object: { type: 'constraint', name: r.name, table: `${r.schema}.${r.table_name}` },
        evidence: { constraint: r.name, type: r.type === 'f' ? 'foreign key' : 'check' },
        recommendation:
          'Validate it (takes only a SHARE UPDATE EXCLUSIVE lock, so reads and writes continue); fix the rows it rejects first.',
        fix: {
          name: toMigrationName(`validate_${r.name}`),
          up: `ALTER TABLE ${quoteQualified(r.schema, r.table_name)} VALIDATE CONSTRAINT ${quoteIdent(r.name)};`,
          down: '',
          migration: false,
        },
      }),
    );
  },
};
