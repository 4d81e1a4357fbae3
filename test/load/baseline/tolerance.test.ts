import { describe, expect, it } from 'vitest';
import { isTenonError } from '../../../src/core/errors.js';
import { parseTolerances } from '../../../src/load/baseline/tolerance.js';

describe('parseTolerances', () => {
  it('defaults to 10 % for every figure with no absolute floor', () => {
    const t = parseTolerances([]);
    expect(t.p99).toEqual({ relative: 0.1, absoluteMs: 0 });
    expect(t.rps).toEqual({ relative: 0.1, absoluteMs: 0 });
  });

  it('sets all figures, one figure, and latency floors; later specs win', () => {
    const t = parseTolerances(['5%', 'p99=20%,p99.9=2ms', '1ms', 'rps=3%']);
    expect(t.p50).toEqual({ relative: 0.05, absoluteMs: 1 });
    expect(t.p99).toEqual({ relative: 0.2, absoluteMs: 1 });
    expect(t.p999).toEqual({ relative: 0.05, absoluteMs: 1 });
    expect(t.rps).toEqual({ relative: 0.03, absoluteMs: 0 });
  });

  it.each(['10', 'p75=10%', 'rps=5ms', 'ten%', 'rps=100%', '-5%'])('refuses %s', (spec) => {
    try {
      parseTolerances([spec]);
      expect.unreachable();
    } catch (error) {
      expect(isTenonError(error, 'TENON_LOAD_OPTIONS_INVALID')).toBe(true);
    }
  });
});
