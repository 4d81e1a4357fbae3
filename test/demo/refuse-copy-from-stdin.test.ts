import { describe, expect, it } from 'vitest';
import {
  COPY_FROM_STDIN_REFUSAL,
  isCopyFromStdin,
  refuseCopyFromStdin,
} from '../../src/demo/refuse-copy-from-stdin.js';
import { cString, readCString, wireMessage } from '../../src/demo/wire-message.js';

describe('isCopyFromStdin', () => {
  it.each([
    ['copy t from stdin', true],
    ['COPY public.t (a, b) FROM STDIN WITH (FORMAT csv)', true],
    ['insert into t values (1); copy t from stdin', true],
    ['copy t to stdout', false],
    ["copy t from '/tmp/data.csv'", false],
    ["copy t from program 'cat'", false],
    ["select 'copy t from stdin'", false],
    ['-- copy t from stdin\nselect 1', false],
    ['copy t fron stdin', false],
  ])('%s → %s', async (sql, expected) => {
    expect(await isCopyFromStdin(sql)).toBe(expected);
  });
});

describe('refuseCopyFromStdin', () => {
  it('replaces the SQL of Query and Parse messages, keeps the statement name and every other message', async () => {
    const bind = wireMessage('B', Buffer.concat([cString(''), cString('s1'), Buffer.alloc(6)]));
    const keep = wireMessage('Q', cString('select 1'));
    const parse = wireMessage(
      'P',
      Buffer.concat([cString('s1'), cString('copy t from stdin'), Buffer.from([0, 1, 0, 0, 0, 23])]),
    );
    const out = await refuseCopyFromStdin([
      wireMessage('Q', cString('copy t from stdin')),
      keep,
      parse,
      bind,
      wireMessage('S'),
    ]);
    expect(readCString(out[0]!, 5)?.text).toBe(COPY_FROM_STDIN_REFUSAL);
    expect(out[1]).toBe(keep);
    const name = readCString(out[2]!, 5)!;
    expect(name.text).toBe('s1');
    expect(readCString(out[2]!, name.end)?.text).toBe(COPY_FROM_STDIN_REFUSAL);
    // No parameter types: the refusal has no parameters.
    expect(out[2]!.readInt32BE(1)).toBe(out[2]!.length - 1);
    expect(out[2]!.readInt16BE(out[2]!.length - 2)).toBe(0);
    expect(out[3]).toBe(bind);
    expect(out.map((m) => String.fromCharCode(m[0]!))).toEqual(['Q', 'Q', 'P', 'B', 'S']);
  });
});
