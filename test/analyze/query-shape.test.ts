import { describe, expect, it } from 'vitest';
import { type NameResolver, queryShape } from '../../src/analyze/query-shape.js';

const COLUMNS: Record<string, string[]> = {
  'public.orders': ['id', 'customer_id', 'status', 'created_at', 'total'],
  'public.customers': ['id', 'email'],
  'billing.invoices': ['id', 'order_id', 'due_at'],
};

const resolver: NameResolver = {
  table: (schema, name) =>
    Object.keys(COLUMNS).find(
      (t) => t === `${schema ?? 'public'}.${name}` || (!schema && t.endsWith(`.${name}`)),
    ),
  hasColumn: (table, column) => COLUMNS[table]?.includes(column) ?? false,
};

describe('queryShape', () => {
  it('finds equality, range, join and sort columns through aliases', async () => {
    const shape = await queryShape(
      `select o.id, c.email from orders o join customers c on c.id = o.customer_id
       where o.status = $1 and o.created_at >= $2 and o.total between $3 and $4 order by o.created_at desc limit $5`,
      resolver,
    );
    expect(shape?.kind).toBe('select');
    expect(shape?.tables).toEqual(['public.orders', 'public.customers']);
    expect(shape?.uses).toEqual(
      expect.arrayContaining([
        { table: 'public.customers', column: 'id', kind: 'join' },
        { table: 'public.orders', column: 'customer_id', kind: 'join' },
        { table: 'public.orders', column: 'status', kind: 'eq' },
        { table: 'public.orders', column: 'created_at', kind: 'range' },
        { table: 'public.orders', column: 'total', kind: 'range' },
        { table: 'public.orders', column: 'created_at', kind: 'sort' },
      ]),
    );
    expect(shape?.lookup).toBeUndefined();
  });

  it('resolves unqualified columns and schema-qualified tables, and walks subqueries and CTEs', async () => {
    const shape = await queryShape(
      `with late as (select order_id from billing.invoices where due_at < now())
       select * from orders where id in (select order_id from late) and customer_id = any($1)`,
      resolver,
    );
    expect(shape?.uses).toEqual(
      expect.arrayContaining([{ table: 'billing.invoices', column: 'due_at', kind: 'range' }]),
    );
    expect(shape?.tables).toContain('billing.invoices');
  });

  it('recognizes a key lookup, and UPDATE/DELETE filters', async () => {
    expect((await queryShape('select id, email from customers where id = $1', resolver))?.lookup).toEqual({
      table: 'public.customers',
      column: 'id',
    });
    const update = await queryShape('update orders set status = $1 where customer_id = $2', resolver);
    expect(update).toMatchObject({
      kind: 'update',
      uses: [{ table: 'public.orders', column: 'customer_id', kind: 'eq' }],
    });
    const del = await queryShape('delete from orders where created_at < $1', resolver);
    expect(del?.uses).toEqual([{ table: 'public.orders', column: 'created_at', kind: 'range' }]);
  });

  it('ignores OR branches, unknown columns, and text that does not parse', async () => {
    const shape = await queryShape('select * from orders where status = $1 or total > $2', resolver);
    expect(shape?.uses).toEqual([]);
    expect((await queryShape('select * from orders where nope = $1', resolver))?.uses).toEqual([]);
    expect(await queryShape('selec * fro orders', resolver)).toBeUndefined();
  });
});

describe('queryShape: what the index advisor reads beyond columns', () => {
  it('reads the ORDER BY of one table with directions, LIMIT, conditions, patterns and the columns read', async () => {
    const shape = (await queryShape(
      `select o.id, o.total from orders o where o.status = $1 and o.created_at is null and o.customer_id is not null
         and not o.total and o.status ilike $2 order by o.created_at desc, o.id limit $3`,
      resolver,
    ))!;
    expect(shape.orderBy).toEqual({
      table: 'public.orders',
      keys: [
        { column: 'created_at', desc: true },
        { column: 'id', desc: false },
      ],
    });
    expect(shape.limit).toBe(true);
    expect(shape.conditions.map((c) => c.predicate)).toEqual([
      'created_at IS NULL',
      'customer_id IS NOT NULL',
      'NOT total',
    ]);
    expect(shape.patterns).toEqual([{ table: 'public.orders', column: 'status', op: 'ilike' }]);
    expect([...shape.columnsRead.get('public.orders')!].sort()).toEqual([
      'created_at',
      'customer_id',
      'id',
      'status',
      'total',
    ]);
    expect(shape.paramHints.get(1)).toEqual({ table: 'public.orders', column: 'status' });
    expect(shape.paramHints.get(3)).toEqual({ type: 'bigint' });
  });

  it('has no ORDER BY when it sorts by an expression or by two tables, and no columns read for select *', async () => {
    const expr = (await queryShape('select * from orders order by lower(status)', resolver))!;
    expect(expr.orderBy).toBeUndefined();
    expect(expr.columnsRead.has('public.orders')).toBe(false);
    const two = (await queryShape(
      'select o.id from orders o join customers c on c.id = o.customer_id order by o.created_at, c.email',
      resolver,
    ))!;
    expect(two.orderBy).toBeUndefined();
  });

  it('keeps constant equalities as predicates (statements given in a file)', async () => {
    const shape = (await queryShape(
      "select id from orders where status = 'paid' and customer_id = $1",
      resolver,
    ))!;
    expect(shape.conditions.map((c) => c.predicate)).toEqual(["status = 'paid'"]);
  });
});
