import { describe, expect, it } from 'vitest';
import type { IndexInfo } from '../../../src/analyze/catalog/indexes.js';
import { coveringIndex } from '../../../src/analyze/checks/duplicate-index.js';

let oid = 0;
function index(name: string, columns: string[], extra: Partial<IndexInfo> = {}): IndexInfo {
  return {
    oid: ++oid,
    schema: 'public',
    table: 't',
    qualifiedTable: 'public.t',
    name,
    qualified: `public.${name}`,
    method: 'btree',
    unique: false,
    primary: false,
    valid: true,
    ready: true,
    keyColumns: columns,
    keyAttnums: columns.map((_, i) => i + 1),
    includeCount: 0,
    keyOpclasses: columns.map(() => 1),
    keyCollations: columns.map(() => 0),
    keyOptions: columns.map(() => 0),
    predicate: null,
    hasExpressions: false,
    definition: `CREATE INDEX ${name} ON public.t USING btree (${columns.join(', ')})`,
    bytes: 8192,
    relpages: 1,
    reltuples: 0,
    scans: 0,
    lastScan: null,
    constraintName: null,
    constraintType: null,
    ...extra,
  };
}

describe('coveringIndex (duplicate-index)', () => {
  it('finds prefixes and exact duplicates, keeping constraint and unique indexes', () => {
    const pk = index('t_pkey', ['id'], {
      unique: true,
      primary: true,
      constraintName: 't_pkey',
      constraintType: 'p',
    });
    const byId = index('t_id_idx', ['id']);
    const a = index('t_a_idx', ['a']);
    const ab = index('t_a_b_idx', ['a', 'b']);
    const uniqueA = index('t_a_key', ['a'], { unique: true });
    const all = [pk, byId, a, ab, uniqueA];
    expect(coveringIndex(byId, all)?.name).toBe('t_pkey');
    expect(coveringIndex(pk, all)).toBeUndefined();
    expect(coveringIndex(a, all)?.name).toBe('t_a_b_idx');
    expect(coveringIndex(uniqueA, all)).toBeUndefined();
    expect(coveringIndex(ab, all)).toBeUndefined();
  });

  it('keeps one of two identical indexes, and ignores different order, opclass, predicate or method', () => {
    const x1 = index('x1', ['a', 'b']);
    const x2 = index('x2', ['a', 'b']);
    expect(coveringIndex(x2, [x1, x2])?.name).toBe('x1');
    expect(coveringIndex(x1, [x1, x2])).toBeUndefined();
    const desc = index('d', ['a'], { keyOptions: [3] });
    const partial = index('p', ['a'], { predicate: '(b > 0)' });
    const hash = index('h', ['a'], { method: 'hash' });
    expect(coveringIndex(desc, [desc, x1])).toBeUndefined();
    expect(coveringIndex(partial, [partial, x1])).toBeUndefined();
    expect(coveringIndex(hash, [hash, x1])).toBeUndefined();
    expect(coveringIndex(index('inv', ['a'], { valid: false }), [x1])).toBeUndefined();
  });
});
