import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/analyze/check.js';
import { indexDdl, indexNameFor, makeCandidate } from '../../src/analyze/index-advisor/candidates.js';
import { createIndexFix, dropIndexFix } from '../../src/analyze/index-fixes.js';
import { planIndexFixes } from '../../src/analyze/plan-fixes.js';
import { indexRow, tableRow } from './fixtures/catalog-rows.js';

function finding(check: string, fix: Finding['fix']): Finding {
  return {
    check,
    severity: 'warning',
    title: check,
    object: { type: 'table', name: 'x' },
    evidence: {},
    recommendation: 'Do it.',
    ...(fix ? { fix } : {}),
  };
}

function advisorFix(
  table: string,
  columns: string[],
  options: Parameters<typeof makeCandidate>[2] = {},
): Finding['fix'] {
  const candidate = makeCandidate(table, columns, options);
  const name = indexNameFor(candidate);
  const { createSql, dropSql } = indexDdl(candidate, name);
  return {
    name: `add_index_${name}`,
    up: createSql,
    down: dropSql,
    migration: true,
    createsIndex: { candidate, name },
  };
}

const tables = [
  tableRow('public.rental'),
  tableRow('public.payment', 'p'),
  tableRow('public.payment_01', 'r', 'public.payment'),
  tableRow('public.payment_02', 'r', 'public.payment'),
];

describe('planIndexFixes', () => {
  it("folds a foreign key's index into the composite that starts with its column: one migration, both checks", () => {
    const planned = planIndexFixes(
      [
        finding('missing-fk-index', createIndexFix('public.rental', ['customer_id'])),
        finding(
          'missing-index',
          advisorFix('public.rental', ['customer_id', 'rental_date'], { descending: [false, true] }),
        ),
      ],
      { tables, indexes: [] },
    );
    expect(planned.map((f) => f.fix?.up)).toEqual([
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS rental_customer_id_rental_date_desc_idx ON public.rental (customer_id, rental_date DESC);',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS rental_customer_id_rental_date_desc_idx ON public.rental (customer_id, rental_date DESC);',
    ]);
    expect(planned[0]!.recommendation).toMatch(/rental_customer_id_rental_date_desc_idx\) serves it/);
  });

  it('does not fold where the composite does not start with the column, or has another predicate', () => {
    const planned = planIndexFixes(
      [
        finding('missing-fk-index', createIndexFix('public.rental', ['customer_id'])),
        finding('missing-index', advisorFix('public.rental', ['rental_date', 'customer_id'])),
        finding(
          'missing-index',
          advisorFix('public.rental', ['customer_id'], { predicate: 'return_date IS NULL' }),
        ),
      ],
      { tables, indexes: [] },
    );
    expect(new Set(planned.map((f) => f.fix?.up)).size).toBe(3);
  });

  it("folds a partition's foreign-key index into its parent's, built ON ONLY + per partition + ATTACH", () => {
    const planned = planIndexFixes(
      [
        finding('missing-fk-index', createIndexFix('public.payment_01', ['rental_id'])),
        finding('missing-index', advisorFix('public.payment', ['rental_id'])),
      ],
      { tables, indexes: [] },
    );
    expect(planned[0]!.fix).toBe(planned[1]!.fix);
    expect(planned[0]!.fix!.up.split('\n')).toEqual([
      'CREATE INDEX IF NOT EXISTS payment_rental_id_idx ON ONLY public.payment (rental_id);',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS payment_01_rental_id_idx ON public.payment_01 (rental_id);',
      'ALTER INDEX public.payment_rental_id_idx ATTACH PARTITION public.payment_01_rental_id_idx;',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS payment_02_rental_id_idx ON public.payment_02 (rental_id);',
      'ALTER INDEX public.payment_rental_id_idx ATTACH PARTITION public.payment_02_rental_id_idx;',
    ]);
  });

  it('drops an existing index the new one makes redundant in the same migration, and gives the duplicate finding that migration', () => {
    const old = indexRow('CREATE INDEX rental_customer_idx ON public.rental USING btree (customer_id)');
    const planned = planIndexFixes(
      [
        finding('missing-index', advisorFix('public.rental', ['customer_id', 'rental_date'])),
        finding('unused-index', dropIndexFix(old)),
      ],
      { tables, indexes: [old] },
    );
    expect(planned[0]!.fix!.up).toBe(
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS rental_customer_id_rental_date_idx ON public.rental (customer_id, rental_date);\nDROP INDEX CONCURRENTLY IF EXISTS public.rental_customer_idx;',
    );
    expect(planned[1]!.fix).toBe(planned[0]!.fix);
  });

  it('never attaches a partition index that a fix of the same run drops', () => {
    const dup = indexRow('CREATE INDEX b_dup ON public.payment_01 USING btree (customer_id)');
    const keep = indexRow('CREATE INDEX a_keep ON public.payment_01 USING btree (customer_id)');
    const planned = planIndexFixes(
      [
        finding('missing-index', advisorFix('public.payment', ['customer_id'])),
        finding('duplicate-index', dropIndexFix(keep)),
      ],
      { tables, indexes: [keep, dup] },
    );
    expect(planned[0]!.fix!.up).toContain('ATTACH PARTITION public.b_dup;');
    expect(planned[0]!.fix!.up).not.toContain('a_keep');
  });
});
