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
});
