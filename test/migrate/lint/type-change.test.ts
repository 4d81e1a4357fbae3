import { describe, expect, it } from 'vitest';
import type { TypeRef } from '../../../src/migrate/lint/sql-tree.js';
import { typeChangeVerdict } from '../../../src/migrate/lint/type-change.js';

const t = (name: string, ...mods: number[]): TypeRef => ({
  name,
  schema: undefined,
  mods,
  array: false,
  location: undefined,
});
const v = (
  from: TypeRef | undefined,
  to: TypeRef,
  using: 'none' | 'column' | 'expression' = 'none',
  serverVersion = 150000,
) => typeChangeVerdict(from, to, { using, serverVersion }).rewrites;

describe('typeChangeVerdict', () => {
  it.each([
    ['varchar(20) → text', t('varchar', 20), t('text'), 'no'],
    ['varchar(20) → varchar(40)', t('varchar', 20), t('varchar', 40), 'no'],
    ['varchar(40) → varchar(20)', t('varchar', 40), t('varchar', 20), 'yes'],
    ['text → varchar', t('text'), t('varchar'), 'no'],
    ['text → varchar(10)', t('text'), t('varchar', 10), 'yes'],
    ['numeric(10,2) → numeric(12,2)', t('numeric', 10, 2), t('numeric', 12, 2), 'no'],
    ['numeric(10,2) → numeric(12,3)', t('numeric', 10, 2), t('numeric', 12, 3), 'yes'],
    ['numeric(10,2) → numeric', t('numeric', 10, 2), t('numeric'), 'no'],
    ['timestamp(3) → timestamp(6)', t('timestamp', 3), t('timestamp', 6), 'no'],
    ['timestamp(6) → timestamp(3)', t('timestamp', 6), t('timestamp', 3), 'yes'],
    ['int4 → int8', t('int4'), t('int8'), 'yes'],
    ['cidr → inet', t('cidr'), t('inet'), 'no'],
    ['timestamp → timestamptz (zone-dependent)', t('timestamp'), t('timestamptz'), 'unknown'],
    ['unknown → int8', undefined, t('int8'), 'unknown'],
  ] as const)('%s', (_, from, to, expected) => {
    expect(v(from, to)).toBe(expected);
  });

  it('a USING expression other than the column forces the rewrite', () => {
    expect(v(t('varchar', 20), t('text'), 'column')).toBe('no');
    expect(v(t('varchar', 20), t('text'), 'expression')).toBe('yes');
  });

  it('timestamp → timestamptz always rewrites before PostgreSQL 12', () => {
    expect(v(t('timestamp'), t('timestamptz'), 'none', 110000)).toBe('yes');
  });
});
