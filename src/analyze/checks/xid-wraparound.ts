import { quoteQualified } from '../../core/sql/quote.js';
import { num } from '../catalog/values.js';
import type { Check, Finding } from '../check.js';
import { TAG, toMigrationName } from '../sql-text.js';

/** Transaction ids wrap around at 2^31; PostgreSQL stops accepting writes shortly before. */
const WRAPAROUND = 2 ** 31;

/**
 * Tables (system catalogs included) whose oldest unfrozen transaction id
 * or multixact id is old: left alone, PostgreSQL eventually refuses writes
 * to prevent wraparound.
 */
export const xidWraparound: Check = {
  id: 'xid-wraparound',
  title: 'Transaction ID wraparound',
  severities: { critical: 'age at least xidCriticalAge', warning: 'age at least xidWarnAge' },
  requires: [],
  async run(ctx) {
    const { xidWarnAge, xidCriticalAge } = ctx.config;
    const { rows } = await ctx.db.query<Record<string, unknown>>(
      `select ${TAG} n.nspname as schema, c.relname as name,
         greatest(age(c.relfrozenxid), coalesce(age(t.relfrozenxid), 0)) as xid_age,
         greatest(mxid_age(c.relminmxid), coalesce(mxid_age(t.relminmxid), 0)) as mxid_age,
         current_setting('autovacuum_freeze_max_age')::int8 as freeze_max_age
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       left join pg_class t on t.oid = c.reltoastrelid
       where c.relkind in ('r', 'm') and c.relfrozenxid <> '0'::xid
         and (greatest(age(c.relfrozenxid), coalesce(age(t.relfrozenxid), 0)) >= $1
           or greatest(mxid_age(c.relminmxid), coalesce(mxid_age(t.relminmxid), 0)) >= $1)
       order by 3 desc`,
      [xidWarnAge],
    );
    return rows.map((r): Finding => {
      const age = Math.max(num(r.xid_age), num(r.mxid_age));
      const name = `${r.schema}.${r.name}`;
      return {
        check: 'xid-wraparound',
        severity: age >= xidCriticalAge ? 'critical' : 'warning',
        title: `${name}: oldest unfrozen ${num(r.xid_age) >= num(r.mxid_age) ? 'transaction id' : 'multixact id'} is ${age} old (${Math.round((age / WRAPAROUND) * 100)}% of the way to wraparound)`,
        object: { type: 'table', name },
        evidence: {
          xidAge: num(r.xid_age),
          multixactAge: num(r.mxid_age),
          transactionsLeft: WRAPAROUND - num(r.xid_age),
          autovacuumFreezeMaxAge: num(r.freeze_max_age),
        },
        recommendation: `Run VACUUM (FREEZE) ${name} now, and find what keeps autovacuum from freezing it (long transactions, abandoned replication slots or prepared transactions, autovacuum disabled).`,
        fix: {
          name: toMigrationName(`vacuum_freeze_${String(r.name)}`),
          up: `VACUUM (FREEZE, VERBOSE) ${quoteQualified(String(r.schema), String(r.name))};`,
          down: '',
          migration: false,
        },
      };
    });
  },
};
