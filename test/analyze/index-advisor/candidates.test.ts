import { describe, expect, it } from 'vitest';
import type { ColumnInfo } from '../../../src/analyze/catalog/foreign-keys.js';
import type { IndexInfo } from '../../../src/analyze/catalog/indexes.js';
import {
  candidatesFor,
  coveredByExisting,
  coveringVariant,
  describeCandidate,
  indexDdl,
  indexNameFor,
  makeCandidate,
} from '../../../src/analyze/index-advisor/candidates.js';
import { type NameResolver, queryShape } from '../../../src/analyze/query-shape.js';

const TABLES: Record<string, Record<string, string>> = {
  'public.books': { id: 'bigint', genre: 'text', price: 'numeric', title: 'text', tags: 'text[]' },
  'public.rental': {
    rental_id: 'integer',
    customer_id: 'integer',
    rental_date: 'timestamp',
    return_date: 'timestamp',
  },
  'public.t': { order: 'integer', user: 'text', a: 'integer' },
};
const resolver: NameResolver = {
  table: (schema, name) =>
    TABLES[`${schema ?? 'public'}.${name}`] ? `${schema ?? 'public'}.${name}` : undefined,
  hasColumn: (table, column) => TABLES[table]?.[column] !== undefined,
};
const columns = new Map<string, ColumnInfo>(
  Object.entries(TABLES).flatMap(([table, cols]) =>
    Object.entries(cols).map(([name, type]) => {
      const [schema, t] = table.split('.') as [string, string];
      return [`${table}.${name}`, { schema, table: t, name, type, notNull: false }] as const;
    }),
  ),
);

async function keysFor(sql: string, trigram = true): Promise<string[]> {
  const shape = await queryShape(sql, resolver);
  return candidatesFor(shape!, { columns, trigram }).map((c) => c.key);
}

describe('candidatesFor', () => {
  it('serves a parameterized ORDER BY … LIMIT with the equality columns and the whole sort key', async () => {
    const keys = await keysFor(
      'select * from books where genre = $1 order by price desc, id desc limit $2 offset $3',
    );
    expect(keys).toContain('public.books(genre,price desc,id desc)');
    expect(keys).toEqual(expect.arrayContaining(['public.books(genre)', 'public.books(genre,price)']));
  });

  it('keeps NULLS FIRST/LAST only where they depart from the direction', async () => {
    const keys = await keysFor(
      'select id from books where genre = $1 order by price desc nulls last, id limit 5',
    );
    expect(keys).toContain('public.books(genre,price desc nulls last,id)');
  });

  it('proposes partial indexes for conditions without parameters', async () => {
    const keys = await keysFor('select rental_id from rental where customer_id = $1 and return_date is null');
    expect(keys).toContain('public.rental(customer_id) where return_date IS NULL');
    const alone = await keysFor('select count(*) from rental where return_date is null');
    expect(alone).toContain('public.rental(return_date) where return_date IS NULL');
  });

  it('proposes a trigram index for LIKE/ILIKE on text when pg_trgm can be used, never a btree', async () => {
    expect(await keysFor('select id from books where title ilike $1')).toEqual([
      'gin-trgm:public.books(title)',
    ]);
    expect(await keysFor('select id from books where title like $1', false)).toEqual([]);
  });

  it('leaves out columns a btree cannot serve', async () => {
    expect(await keysFor('select id from books where tags = $1')).toEqual([]);
  });
});

describe('coveringVariant', () => {
  it('adds the other columns the statement reads as INCLUDE, and none for select *', async () => {
    const shape = (await queryShape('select id, price from books where genre = $1', resolver))!;
    const base = makeCandidate('public.books', ['genre']);
    expect(coveringVariant(base, shape, columns)?.key).toBe('public.books(genre) include(id,price)');
    const star = (await queryShape('select * from books where genre = $1', resolver))!;
    expect(coveringVariant(base, star, columns)).toBeUndefined();
  });
});

describe('index DDL', () => {
  it('writes each kind of index with quoted identifiers', () => {
    const sort = makeCandidate('public.books', ['genre', 'price', 'id'], { descending: [false, true, true] });
    expect(indexDdl(sort, indexNameFor(sort))).toEqual({
      createSql:
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS books_genre_price_desc_id_desc_idx ON public.books (genre, price DESC, id DESC);',
      dropSql: 'DROP INDEX CONCURRENTLY IF EXISTS public.books_genre_price_desc_id_desc_idx;',
    });
    const partial = makeCandidate('public.rental', ['customer_id'], { predicate: 'return_date IS NULL' });
    expect(indexDdl(partial, indexNameFor(partial)).createSql).toBe(
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS rental_customer_id_return_date_is_null_idx ON public.rental (customer_id) WHERE return_date IS NULL;',
    );
    const trgm = makeCandidate('public.books', ['title'], { method: 'gin-trgm' });
    expect(indexDdl(trgm, indexNameFor(trgm), 'extensions').createSql).toBe(
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS books_title_trgm_idx ON public.books USING gin (title extensions.gin_trgm_ops);',
    );
    const covering = makeCandidate('public.books', ['genre'], { include: ['id', 'price'] });
    expect(describeCandidate(covering)).toBe('public.books (genre) INCLUDE (id, price)');
    const reserved = makeCandidate('public.t', ['order', 'user']);
    expect(indexDdl(reserved, 'order').createSql).toBe(
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS "order" ON public.t ("order", "user");',
    );
  });

  it('keeps long names within 63 bytes and different from each other', () => {
    const long = (c: string) =>
      makeCandidate('public.books', [`${'x'.repeat(40)}_${c}`, `${'y'.repeat(30)}`]);
    const a = indexNameFor(long('a'));
    const b = indexNameFor(long('b'));
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
  });
});

describe('coveredByExisting', () => {
  const existing = (definition: string, extra: Partial<IndexInfo>): IndexInfo =>
    ({
      oid: 1,
      schema: 'public',
      table: 'books',
      qualifiedTable: 'public.books',
      name: 'i',
      qualified: 'public.i',
      method: 'btree',
      unique: false,
      primary: false,
      valid: true,
      ready: true,
      keyColumns: [],
      keyAttnums: [],
      includeCount: 0,
      keyOpclasses: [],
      keyCollations: [],
      keyOptions: [],
      predicate: null,
      hasExpressions: false,
      definition,
      bytes: 0,
      relpages: 0,
      reltuples: 0,
      scans: 0,
      lastScan: null,
      constraintName: null,
      constraintType: null,
      ...extra,
    }) as IndexInfo;

  it('accepts the same directions or all of them reversed, and matches predicates', () => {
    const asc = existing('CREATE INDEX i ON public.books USING btree (genre, price)', {
      keyColumns: ['genre', 'price'],
      keyAttnums: [2, 3],
      keyOptions: [0, 0],
    });
    const mixed = makeCandidate('public.books', ['genre', 'price'], { descending: [false, true] });
    const reversed = makeCandidate('public.books', ['genre', 'price'], { descending: [true, true] });
    expect(coveredByExisting(mixed, [asc])).toBeUndefined();
    expect(coveredByExisting(reversed, [asc])).toBe(asc);
    const partial = existing('CREATE INDEX i ON public.books USING btree (genre) WHERE (price IS NULL)', {
      keyColumns: ['genre'],
      keyAttnums: [2],
      keyOptions: [0],
      predicate: '(price IS NULL)',
    });
    expect(
      coveredByExisting(makeCandidate('public.books', ['genre'], { predicate: 'price IS NULL' }), [partial]),
    ).toBe(partial);
    expect(coveredByExisting(makeCandidate('public.books', ['genre']), [partial])).toBeUndefined();
  });
});
