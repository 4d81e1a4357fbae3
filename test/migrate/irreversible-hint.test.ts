import { describe, expect, it } from 'vitest';
import { irreversibleHint } from '../../src/migrate/irreversible-hint.js';

describe('irreversibleHint', () => {
  it('speaks of an empty down section only when there is one', () => {
    const missing = irreversibleHint(new Set(['no-down']));
    expect(missing).toContain('without a "-- migrate:down" section');
    expect(missing).not.toContain('empty down section');
    expect(irreversibleHint(new Set(['empty-down']))).toContain('An empty down section marks');
  });

  it('names every kind found, and always the ways out', () => {
    const all = irreversibleHint(new Set(['empty-down', 'no-down', 'file-gone']));
    expect(all).toMatch(/empty down section.*without a.*restored/s);
    expect(all).toContain('roll back fewer steps');
  });
});
