import { describe, expect, it } from 'vitest';
import { Feeder, rowsForFlow, rowsForVu } from '../../../src/load/scenario/feeder.js';

const rows = [{ n: 0 }, { n: 1 }, { n: 2 }];

describe('Feeder', () => {
  it('hands out sequential rows in order, each once before wrapping', () => {
    const f = new Feeder('d', rows, 'sequential', 'shared');
    expect(Array.from({ length: 5 }, () => f.take().n)).toEqual([0, 1, 2, 0, 1]);
  });

  it('picks random rows with the given source', () => {
    const values = [0.99, 0, 0.5];
    const f = new Feeder('d', rows, 'random', 'shared', () => values.shift()!);
    expect([f.take().n, f.take().n, f.take().n]).toEqual([2, 0, 1]);
  });

  it('gives vu-scoped rows to users and shared rows to flows', () => {
    const perVu = new Feeder('user', rows, 'sequential', 'vu');
    const shared = new Feeder('product', rows, 'sequential', 'shared');
    expect(rowsForVu([perVu, shared])).toEqual({ user: { n: 0 } });
    expect(rowsForVu([perVu, shared])).toEqual({ user: { n: 1 } });
    expect(rowsForFlow([perVu, shared])).toEqual({ product: { n: 0 } });
    expect(rowsForFlow([perVu, shared])).toEqual({ product: { n: 1 } });
  });
});
