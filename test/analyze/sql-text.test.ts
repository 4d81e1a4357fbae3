import { describe, expect, it } from 'vitest';
import {
  identifierWithin63,
  NOT_TENON_SQL,
  shortSql,
  TAG,
  toMigrationName,
} from '../../src/analyze/sql-text.js';

describe('analyze SQL text helpers', () => {
  it('TAG is a comment that the pg_stat_statements filter recognizes', () => {
    expect(TAG).toMatch(/^\/\*.*\*\/$/);
    expect(NOT_TENON_SQL).toContain(TAG.slice(3, -3).trim());
  });

  it('identifierWithin63 keeps names of up to 63 bytes; a longer one keeps 54 bytes of whole characters and a hash', () => {
    const exact = 'a'.repeat(63);
    expect(identifierWithin63(exact)).toBe(exact);
    const long = identifierWithin63(`${exact}bc`);
    expect(long).toMatch(/^a{54}_[0-9a-f]{8}$/);
    // Two long names that share their first 54 characters stay different.
    expect(identifierWithin63(`${exact}bd`)).not.toBe(long);
    // 27 × "é" (2 bytes each) = 54 bytes: the 28th is left out, never split.
    expect(identifierWithin63('é'.repeat(40))).toMatch(/^é{27}_[0-9a-f]{8}$/);
    const cjk = identifierWithin63(`idx_${'日本'.repeat(20)}`);
    expect(Buffer.byteLength(cjk)).toBeLessThanOrEqual(63);
    expect(cjk).not.toContain('\uFFFD');
    // An emoji (a surrogate pair) is kept whole or left out.
    expect(identifierWithin63('🙂'.repeat(20))).toMatch(/^(🙂){13}_[0-9a-f]{8}$/);
  });

  it('shortSql flattens whitespace and cuts at max characters with an ellipsis', () => {
    expect(shortSql('select *\n  from   t\twhere x = 1')).toBe('select * from t where x = 1');
    expect(shortSql('select 1')).toBe('select 1');
    const long = shortSql(`select ${'x, '.repeat(100)}1`, 20);
    expect(long).toHaveLength(20);
    expect(long.endsWith('…')).toBe(true);
  });

  it('toMigrationName makes a lower snake case name of at most 60 characters', () => {
    expect(toMigrationName('Add index on public.Orders(customer_id)')).toBe(
      'add_index_on_public_orders_customer_id',
    );
    expect(toMigrationName('  --Drop__index  ')).toBe('drop_index');
    const long = toMigrationName(`${'abc_'.repeat(20)}end`);
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).not.toMatch(/_$/);
    expect(toMigrationName('ÉTÉ')).toBe('t');
  });
});
