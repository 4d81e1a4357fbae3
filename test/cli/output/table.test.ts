import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { displayWidth, renderTable } from '../../../src/cli/output/table.js';

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

  it('counts the characters of its fast path one column each, as string-width does', () => {
    // Every character displayWidth measures by length, checked alone and between letters.
    const ranges = [
      [0x20, 0x7e],
      [0xa0, 0xac],
      [0xae, 0x2ff],
      [0x2010, 0x2027],
      [0x2030, 0x205e],
      [0x2190, 0x22ff],
    ] as const;
    for (const [from, to] of ranges) {
      for (let code = from; code <= to; code++) {
        const char = String.fromCharCode(code);
        expect([displayWidth(char), displayWidth(`a${char}b`)]).toEqual([
          stringWidth(char),
          stringWidth(`a${char}b`),
        ]);
      }
    }
    // Just outside: a combining mark takes no column, a CJK character two.
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('日本')).toBe(4);
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

  it('cuts a long word by columns: ASCII by characters, wide characters two columns each', () => {
    const text = renderTable(['v'], [['(char_length(confirmation_token)'], ['日本語のテキスト']], {
      widths: [12],
    });
    expect(text.split('\n')).toEqual([
      'v',
      '(char_length',
      '(confirmatio',
      'n_token)',
      '日本語のテキ',
      'スト',
      '',
    ]);
  });
});
