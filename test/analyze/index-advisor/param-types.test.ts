import { describe, expect, it } from 'vitest';
import type { ColumnInfo } from '../../../src/analyze/catalog/foreign-keys.js';
import { inferParamTypes, unknownAsText } from '../../../src/analyze/index-advisor/param-types.js';
import { type NameResolver, queryShape } from '../../../src/analyze/query-shape.js';

const resolver: NameResolver = {
  table: (_schema, name) => (name === 'accounts' ? 'public.accounts' : undefined),
  hasColumn: (_table, column) => ['aid', 'abalance', 'tags', 'filler', 'created_at'].includes(column),
};
const types: Record<string, string> = {
  aid: 'integer',
  abalance: 'integer',
  tags: 'text',
  filler: 'character(84)',
  created_at: 'timestamp with time zone',
};
const columns = new Map<string, ColumnInfo>(
  Object.entries(types).map(([name, type]) => [
    `public.accounts.${name}`,
    { schema: 'public', table: 'accounts', name, type, notNull: true },
  ]),
);

async function infer(sql: string, count: number) {
  return inferParamTypes((await queryShape(sql, resolver))!, columns, count);
}

describe('inferParamTypes', () => {
  it('types the parameters of arithmetic from the column they are compared with', async () => {
    expect(await infer('select abalance from accounts where aid = $1 + $2', 2)).toEqual([
      'integer',
      'integer',
    ]);
  });

  it('types IN lists, ANY arrays, BETWEEN, LIKE, LIMIT/OFFSET and UPDATE … SET', async () => {
    expect(
      await infer('select 1 from accounts where aid in ($1, $2) and tags like $3 limit $4 offset $5', 5),
    ).toEqual(['integer', 'integer', 'text', 'bigint', 'bigint']);
    expect(await infer('select 1 from accounts where aid = any($1)', 1)).toEqual(['integer[]']);
    expect(await infer('select 1 from accounts where created_at between $1 and $2', 2)).toEqual([
      'timestamp with time zone',
      'timestamp with time zone',
    ]);
    expect(await infer('update accounts set abalance = abalance + $1 where aid = $2', 2)).toEqual([
      'integer',
      'integer',
    ]);
  });

  it('leaves unknown what nothing is compared with, and says when nothing could be inferred', async () => {
    expect(await infer('select $2::int, 1 from accounts where aid = $1', 2)).toEqual(['integer', 'unknown']);
    expect(await infer('select $1 + $2', 2)).toBeUndefined();
    expect(unknownAsText(['integer', 'unknown'], 3)).toEqual(['integer', 'text', 'text']);
  });
});
