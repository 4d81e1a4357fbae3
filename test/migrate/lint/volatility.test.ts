import { parse } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import { builtinVolatility, expressionVolatility } from '../../../src/migrate/lint/volatility.js';

async function expr(sql: string): Promise<unknown> {
  const tree = (await parse(`select ${sql}`)) as unknown as {
    stmts: { stmt: { SelectStmt: { targetList: { ResTarget: { val: unknown } }[] } } }[];
  };
  return tree.stmts[0]!.stmt.SelectStmt.targetList[0]!.ResTarget.val;
}

describe('volatility', () => {
  it('knows the built-in functions from PostgreSQL 18', () => {
    expect(builtinVolatility('now')).toBe('stable');
    expect(builtinVolatility('random')).toBe('volatile');
    expect(builtinVolatility('gen_random_uuid')).toBe('volatile');
    expect(builtinVolatility('lower')).toBe('immutable');
    expect(builtinVolatility('uuid_generate_v4')).toBe('volatile');
    expect(builtinVolatility('my_function')).toBe('unknown');
  });

  it.each([
    ['0', 'immutable'],
    ["'{}'::jsonb", 'immutable'],
    ['current_timestamp', 'stable'],
    ["timezone('utc', now())", 'stable'],
    ['random() * 10', 'volatile'],
    ['coalesce(null, gen_random_uuid())', 'volatile'],
    ['array[]::text[]', 'immutable'],
    ["case when true then nextval('s') else 0 end", 'volatile'],
    ['my_function()', 'unknown'],
    ['(select 1)', 'unknown'],
  ])('%s is %s', async (sql, expected) => {
    expect(expressionVolatility(await expr(sql), builtinVolatility)).toBe(expected);
  });
});
