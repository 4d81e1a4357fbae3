import { describe, expect, it } from 'vitest';
import { renderTable } from '../../../src/cli/output/table.js';

describe('renderTable', () => {
  it('aligns columns without borders or trailing spaces', () => {
    const text = renderTable(
      ['name', 'ms'],
      [
        ['create_users', 12],
        ['add_index', 1234],
      ],
      { alignRight: [1] },
    );
    expect(text).toBe('name            ms\ncreate_users    12\nadd_index     1234\n');
  });

  it('measures what a terminal shows: colors take no room, wide characters two columns', () => {
    const red = (s: string) => `\x1b[31m${s}\x1b[39m`;
    const text = renderTable(
      ['a', 'b'],
      [
        [red('ok'), 'x'],
        ['日本', 'y'],
        ['é', 'z'],
      ],
    );
    expect(text.replaceAll('\x1b[31m', '').replaceAll('\x1b[39m', '')).toBe(
      'a     b\nok    x\n日本  y\né     z\n',
    );
  });

  it('measures colored wide characters by what shows (two columns each, colors none)', () => {
    const red = (s: string) => `\x1b[31m${s}\x1b[39m`;
    const text = renderTable(
      ['a', 'b'],
      [
        [red('日本'), 'x'],
        [red('ok'), 'y'],
      ],
    );
    expect(text.replaceAll('\x1b[31m', '').replaceAll('\x1b[39m', '')).toBe('a     b\n日本  x\nok    y\n');
  });

  it('prints empty cells for null and undefined and short rows; a line break makes a taller row', () => {
    expect(renderTable(['k', 'v', 'w'], [['a', null, undefined], ['b'], ['c', 'two\nlines', 'w']])).toBe(
      'k  v      w\na\nb\nc  two    w\n   lines\n',
    );
  });

  it('wraps cells at spaces to fixed widths (a longer word is cut), and indents', () => {
    const text = renderTable(
      ['id', 'message'],
      [
        ['1', 'a lock that blocks writes'],
        ['2', 'abcdefghijk'],
      ],
      {
        widths: [2, 10],
        indent: '  ',
      },
    );
    expect(text).toBe(
      '  id  message\n  1   a lock\n      that\n      blocks\n      writes\n  2   abcdefghij\n      k\n',
    );
  });
});
