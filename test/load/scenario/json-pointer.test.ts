import { describe, expect, it } from 'vitest';
import { resolvePointer } from '../../../src/load/scenario/json-pointer.js';

describe('resolvePointer (RFC 6901)', () => {
  const doc = { data: { items: [{ id: 3 }, { id: 4 }] }, 'a/b': 1, 'm~n': 2, '': 5, zero: 0 };

  it.each([
    ['', doc],
    ['/data/items/1/id', 4],
    ['/a~1b', 1],
    ['/m~0n', 2],
    ['/', 5],
    ['/zero', 0],
  ])('%s', (pointer, value) => {
    expect(resolvePointer(doc, pointer)).toEqual(value);
  });

  it.each(['/data/items/2', '/data/items/01', '/data/items/-', '/nope/x', 'data'])(
    '%s leads nowhere',
    (pointer) => {
      expect(resolvePointer(doc, pointer)).toBeUndefined();
    },
  );
});
