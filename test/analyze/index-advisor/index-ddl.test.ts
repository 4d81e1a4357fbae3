import { describe, expect, it } from 'vitest';
import { makeCandidate } from '../../../src/analyze/index-advisor/candidates.js';
import { indexBuildSql, madeRedundant } from '../../../src/analyze/index-advisor/index-ddl.js';
import { partitionsOf } from '../../../src/analyze/index-advisor/partitions.js';
import { indexRow, tableRow } from '../fixtures/catalog-rows.js';

const tables = [
  tableRow('public.payment', 'p'),
  tableRow('public.payment_2022', 'p', 'public.payment'),
  tableRow('public.payment_2022_01', 'r', 'public.payment_2022'),
  tableRow('public.payment_2022_02', 'r', 'public.payment_2022'),
  tableRow('public.payment_2023', 'r', 'public.payment'),
  tableRow('public.rental'),
];
const partitions = partitionsOf(tables);

describe('indexBuildSql', () => {
  it('builds a plain table concurrently', () => {
    const c = makeCandidate('public.rental', ['customer_id']);
    expect(
      indexBuildSql(c, 'rental_customer_id_idx', {
        tree: partitions.tree('public.rental'),
        existing: [],
        dropped: new Set(),
        replaces: [],
      }),
    ).toEqual({
      up: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS rental_customer_id_idx ON public.rental (customer_id);',
      down: 'DROP INDEX CONCURRENTLY IF EXISTS public.rental_customer_id_idx;',
      attached: [],
    });
  });

  it('builds a partitioned table ON ONLY, per partition (attaching a matching index), and attaches, at every level', () => {
    const c = makeCandidate('public.payment', ['customer_id']);
    const existing = [
      indexRow('CREATE INDEX p01_dup ON public.payment_2022_01 USING btree (customer_id)'),
      indexRow('CREATE INDEX idx_p01 ON public.payment_2022_01 USING btree (customer_id)'),
      indexRow('CREATE INDEX p02_desc ON public.payment_2022_02 USING btree (customer_id DESC)'),
    ];
    const sql = indexBuildSql(c, 'payment_customer_id_idx', {
      tree: partitions.tree('public.payment'),
      existing,
      dropped: new Set(['public.idx_p01']),
      replaces: [],
    });
    expect(sql.up.split('\n')).toEqual([
      'CREATE INDEX IF NOT EXISTS payment_customer_id_idx ON ONLY public.payment (customer_id);',
      'CREATE INDEX IF NOT EXISTS payment_2022_customer_id_idx ON ONLY public.payment_2022 (customer_id);',
      'ALTER INDEX public.payment_2022_customer_id_idx ATTACH PARTITION public.p01_dup;',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS payment_2022_02_customer_id_idx ON public.payment_2022_02 (customer_id);',
      'ALTER INDEX public.payment_2022_customer_id_idx ATTACH PARTITION public.payment_2022_02_customer_id_idx;',
      'ALTER INDEX public.payment_customer_id_idx ATTACH PARTITION public.payment_2022_customer_id_idx;',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS payment_2023_customer_id_idx ON public.payment_2023 (customer_id);',
      'ALTER INDEX public.payment_customer_id_idx ATTACH PARTITION public.payment_2023_customer_id_idx;',
    ]);
    expect(sql.down.split('\n')).toEqual([
      'DROP INDEX IF EXISTS public.payment_customer_id_idx;',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS p01_dup ON public.payment_2022_01 USING btree (customer_id);',
    ]);
    expect(sql.attached).toEqual(['public.p01_dup']);
  });

  it('creates pg_trgm first for a trigram index unless it is installed, and drops what the new index makes redundant', () => {
    const trgm = makeCandidate('public.rental', ['note'], { method: 'gin-trgm' });
    const ctx = {
      tree: partitions.tree('public.rental'),
      existing: [],
      dropped: new Set<string>(),
      replaces: [],
    };
    expect(indexBuildSql(trgm, 'rental_note_trgm_idx', ctx).up).toBe(
      'CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS rental_note_trgm_idx ON public.rental USING gin (note gin_trgm_ops);',
    );
    expect(indexBuildSql(trgm, 'rental_note_trgm_idx', { ...ctx, trigramSchema: 'public' }).up).toBe(
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS rental_note_trgm_idx ON public.rental USING gin (note public.gin_trgm_ops);',
    );
    const old = indexRow('CREATE INDEX rental_customer_idx ON public.rental USING btree (customer_id)');
    const wide = makeCandidate('public.rental', ['customer_id', 'rental_date']);
    const sql = indexBuildSql(wide, 'rental_customer_id_rental_date_idx', { ...ctx, replaces: [old] });
    expect(sql.up.split('\n')).toEqual([
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS rental_customer_id_rental_date_idx ON public.rental (customer_id, rental_date);',
      'DROP INDEX CONCURRENTLY IF EXISTS public.rental_customer_idx;',
    ]);
    expect(sql.down.split('\n')).toEqual([
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS rental_customer_idx ON public.rental USING btree (customer_id);',
      'DROP INDEX CONCURRENTLY IF EXISTS public.rental_customer_id_rental_date_idx;',
    ]);
  });
});

describe('madeRedundant', () => {
  it('finds plain indexes whose key leads the new one, the way duplicate-index would', () => {
    const wide = makeCandidate('public.rental', ['customer_id', 'rental_date'], {
      descending: [false, true],
    });
    const plain = indexRow('CREATE INDEX a ON public.rental USING btree (customer_id)');
    const unique = indexRow('CREATE UNIQUE INDEX b ON public.rental USING btree (customer_id)');
    const other = indexRow('CREATE INDEX c ON public.rental USING btree (rental_date)');
    const asc = indexRow('CREATE INDEX d ON public.rental USING btree (customer_id, rental_date)');
    const same = indexRow('CREATE INDEX e ON public.rental USING btree (customer_id, rental_date DESC)');
    expect(madeRedundant(wide, [plain, unique, other, asc, same]).map((i) => i.name)).toEqual(['a', 'e']);
    expect(
      madeRedundant(makeCandidate('public.rental', ['customer_id'], { predicate: 'x IS NULL' }), [plain]),
    ).toEqual([]);
  });
});
