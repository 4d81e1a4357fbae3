import { quoteIdent, quoteQualified } from '../../core/sql/quote.js';
import { num } from '../catalog/values.js';
import type { Check, Finding } from '../check.js';
import { TAG, toMigrationName } from '../sql-text.js';

const TYPE_MAX: Record<string, number> = {
  smallint: 32767,
  integer: 2147483647,
  bigint: 2 ** 63 - 1,
};

interface Used {
  ratio: number;
  value: number;
  limit: number;
}

/**
 * Sequences close to their maximum (or to the maximum of the column they
 * feed, when that is smaller, e.g. a bigint sequence behind an integer
 * column), and integer primary keys whose values are close to the type's
 * limit: once reached, every insert fails.
 */
export const sequenceOverflow: Check = {
  id: 'sequence-overflow',
  title: 'Sequences and integer keys near their limit',
  severities: {
    critical: 'at least sequenceCriticalRatio of the range used',
    warning: 'at least sequenceWarnRatio',
  },
  requires: [],
  async run(ctx) {
    const { sequenceWarnRatio, sequenceCriticalRatio } = ctx.config;
    const severity = (ratio: number) => (ratio >= sequenceCriticalRatio ? 'critical' : 'warning');
    const findings: Finding[] = [];
    const covered = new Set<string>();
    const { rows } = await ctx.db.query<Record<string, unknown>>(
      `select ${TAG} s.schemaname as schema, s.sequencename as name, s.data_type::text as data_type,
         s.last_value, s.min_value, s.max_value, s.increment_by, s.cycle,
         tn.nspname as table_schema, tc.relname as table_name, a.attname as column_name,
         format_type(a.atttypid, a.atttypmod) as column_type
       from pg_sequences s
       join pg_namespace sn on sn.nspname = s.schemaname
       join pg_class sc on sc.relname = s.sequencename and sc.relnamespace = sn.oid
       left join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = sc.oid
         and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
       left join pg_class tc on tc.oid = d.refobjid
       left join pg_namespace tn on tn.oid = tc.relnamespace
       left join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
       where s.last_value is not null and not s.cycle`,
    );
    for (const r of rows) {
      const limit = Math.min(num(r.max_value), TYPE_MAX[String(r.column_type)] ?? Number.POSITIVE_INFINITY);
      const used = usedShare(num(r.last_value), num(r.min_value), limit, num(r.increment_by));
      if (used.ratio < sequenceWarnRatio) continue;
      const column = r.column_name ? `${r.table_schema}.${r.table_name}.${r.column_name}` : undefined;
      if (column) covered.add(column);
      const narrowColumn = r.column_type === 'integer' || r.column_type === 'smallint';
      findings.push({
        check: 'sequence-overflow',
        severity: severity(used.ratio),
        title: `sequence ${r.schema}.${r.name} has used ${Math.round(used.ratio * 100)}% of its range (${used.value} of ${used.limit})${column ? ` for ${column} (${r.column_type})` : ''}`,
        object: {
          type: 'sequence',
          name: `${r.schema}.${r.name}`,
          ...(column ? { table: `${r.table_schema}.${r.table_name}` } : {}),
        },
        evidence: {
          lastValue: used.value,
          limit: used.limit,
          usedRatio: round(used.ratio),
          sequenceType: r.data_type,
          ...(column ? { column, columnType: r.column_type } : {}),
        },
        recommendation: narrowColumn
          ? `Widen ${column} to bigint before it runs out (a table rewrite: plan it, e.g. with a new column and a backfill on large tables), then ALTER SEQUENCE … AS bigint.`
          : `Raise the sequence's MAXVALUE or switch it to bigint.`,
        fix: {
          name: toMigrationName(`widen_${String(r.name)}`),
          up: narrowColumn
            ? `ALTER TABLE ${quoteQualified(String(r.table_schema), String(r.table_name))} ALTER COLUMN ${quoteIdent(String(r.column_name))} TYPE bigint;\nALTER SEQUENCE ${quoteQualified(String(r.schema), String(r.name))} AS bigint;`
            : `ALTER SEQUENCE ${quoteQualified(String(r.schema), String(r.name))} AS bigint;`,
          down: '',
          migration: false,
        },
      });
    }
    findings.push(...(await narrowKeys(ctx, covered, sequenceWarnRatio, severity)));
    return findings;
  },
};

function usedShare(last: number, min: number, limit: number, increment: number): Used {
  const ratio =
    increment > 0 ? (last - min) / Math.max(limit - min, 1) : (limit - last) / Math.max(limit - min, 1);
  return { ratio, value: last, limit };
}

/** Integer primary keys (smallint/integer) whose largest value is near the type's limit. */
async function narrowKeys(
  ctx: Parameters<Check['run']>[0],
  covered: Set<string>,
  warnRatio: number,
  severity: (ratio: number) => 'critical' | 'warning',
): Promise<Finding[]> {
  const { rows: keys } = await ctx.db.query<Record<string, unknown>>(
    `select ${TAG} n.nspname as schema, c.relname as table_name, a.attname as column_name,
       format_type(a.atttypid, a.atttypmod) as column_type
     from pg_constraint con
     join pg_class c on c.oid = con.conrelid
     join pg_namespace n on n.oid = c.relnamespace
     join pg_attribute a on a.attrelid = c.oid and a.attnum = con.conkey[1]
     where con.contype = 'p' and array_length(con.conkey, 1) = 1 and a.atttypid in ('int2'::regtype, 'int4'::regtype)
       and n.nspname not in ('pg_catalog', 'information_schema')`,
  );
  const candidates = keys.filter((k) => !covered.has(`${k.schema}.${k.table_name}.${k.column_name}`));
  const findings: Finding[] = [];
  for (let i = 0; i < candidates.length; i += 50) {
    const batch = candidates.slice(i, i + 50);
    const sql = batch
      .map(
        (k, j) =>
          `select ${j} as i, (select max(${quoteIdent(String(k.column_name))}) from ${quoteQualified(String(k.schema), String(k.table_name))})::int8 as max_value`,
      )
      .join(' union all ');
    const { rows } = await ctx.db.query<{ i: number; max_value: unknown }>(
      `select ${TAG} * from (${sql}) batch`,
    );
    for (const row of rows) {
      const k = batch[num(row.i)]!;
      const limit = TYPE_MAX[String(k.column_type)]!;
      const ratio = num(row.max_value) / limit;
      if (ratio < warnRatio) continue;
      const column = `${k.schema}.${k.table_name}.${k.column_name}`;
      findings.push({
        check: 'sequence-overflow',
        severity: severity(ratio),
        title: `primary key ${column} (${k.column_type}) has reached ${num(row.max_value)}, ${Math.round(ratio * 100)}% of its limit`,
        object: { type: 'column', name: column, table: `${k.schema}.${k.table_name}` },
        evidence: { maxValue: num(row.max_value), limit, usedRatio: round(ratio), columnType: k.column_type },
        recommendation: `Widen ${column} to bigint (and the foreign keys that reference it) before inserts start failing.`,
        fix: {
          name: toMigrationName(`widen_${String(k.table_name)}_${String(k.column_name)}`),
          up: `ALTER TABLE ${quoteQualified(String(k.schema), String(k.table_name))} ALTER COLUMN ${quoteIdent(String(k.column_name))} TYPE bigint;`,
          down: '',
          migration: false,
        },
      });
    }
  }
  return findings;
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}
