import { describe, expect, it } from 'vitest';
import { isTenonError } from '../../src/core/errors.js';
import {
  DEFAULT_SLO,
  evaluateThresholds,
  parseThreshold,
  resolveThresholds,
} from '../../src/load/thresholds.js';

const latency = { count: 10, min: 1, mean: 20, p50: 10, p90: 40, p95: 60, p99: 150, p999: 300, max: 400 };

describe('thresholds', () => {
  it.each([
    ['p99<200ms', { metric: 'p99', operator: '<', limit: 200, unit: 'ms' }],
    ['p50 < 0.5s', { metric: 'p50', operator: '<', limit: 500, unit: 'ms' }],
    ['p99.9<=250', { metric: 'p999', operator: '<=', limit: 250, unit: 'ms' }],
    ['max<800us', { metric: 'max', operator: '<', limit: 0.8, unit: 'ms' }],
    ['errors<0.1%', { metric: 'errors', operator: '<', limit: 0.1, unit: '%' }],
    ['rps>1000', { metric: 'rps', operator: '>', limit: 1000, unit: 'req/s' }],
  ])('parses %s', (text, expected) => {
    expect(parseThreshold(text)).toMatchObject(expected);
  });

  it.each(['p98<1ms', 'p99>', 'errors<1', 'rps<', 'latency<5ms'])('rejects %s with a usage error', (text) => {
    try {
      parseThreshold(text);
      expect.unreachable();
    } catch (error) {
      expect(isTenonError(error, 'TENON_LOAD_THRESHOLD_INVALID')).toBe(true);
    }
  });

  it('evaluates pass and fail against the figures', () => {
    const results = evaluateThresholds(
      resolveThresholds(['p99<200ms', 'p90<30ms', 'errors<1%', 'rps>=500'], undefined),
      {
        latency,
        errorRate: 0.5,
        rps: 500,
      },
    );
    expect(results.map((r) => [r.expression, r.actual, r.pass])).toEqual([
      ['p99<200ms', 150, true],
      ['p90<30ms', 40, false],
      ['errors<1%', 0.5, true],
      ['rps>=500', 500, true],
    ]);
  });

  it('--slo default applies the five documented targets', () => {
    expect(resolveThresholds([], 'default').map((t) => t.expression)).toEqual([...DEFAULT_SLO]);
    const results = evaluateThresholds(resolveThresholds([], 'default'), {
      latency,
      errorRate: 0.2,
      rps: 900,
    });
    expect(results.map((r) => r.pass)).toEqual([true, true, true, false, false]);
  });
});
