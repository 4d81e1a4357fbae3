import { describe, expect, it } from 'vitest';
import { isTenonError, TenonError, toTenonError } from '../../src/core/errors.js';

describe('TenonError across copies of the module', () => {
  it('recognises an error of another copy (the bundled CLI and a scenario importing tenon/load)', async () => {
    // The query makes a second instance of the module, with a class of its own, as a bundle has.
    const copy = '../../src/core/errors.ts?another-copy';
    const other = (await import(/* @vite-ignore */ copy)) as typeof import('../../src/core/errors.js');
    expect(other.TenonError).not.toBe(TenonError);
    const foreign = new other.TenonError('TENON_CONFIG_INVALID', 'from the other copy');
    expect(foreign instanceof TenonError).toBe(true);
    expect(isTenonError(foreign, 'TENON_CONFIG_INVALID')).toBe(true);
    expect(toTenonError(foreign)).toBe(foreign);
    expect(new TenonError('TENON_INTERNAL', 'here') instanceof other.TenonError).toBe(true);
  });

  it('is not fooled by other errors or plain values', () => {
    expect(new Error('plain') instanceof TenonError).toBe(false);
    expect({ code: 'TENON_INTERNAL', name: 'TenonError' } instanceof TenonError).toBe(false);
    expect((null as unknown) instanceof TenonError).toBe(false);
    expect(toTenonError(new Error('x')).code).toBe('TENON_INTERNAL');
  });
});
