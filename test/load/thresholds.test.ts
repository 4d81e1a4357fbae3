import { describe, expect, it } from 'vitest';
import { isTenonError } from '../../src/core/errors.js';
import { NO_LATENCY } from '../../src/load/histogram-summary.js';
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
    ['ok>0', { metric: 'ok', operator: '>', limit: 0, unit: 'requests' }],
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
        ok: 5000,
      },
    );
    expect(results.map((r) => [r.expression, r.actual, r.pass, r.source])).toEqual([
      ['p99<200ms', 150, true, 'user'],
      ['p90<30ms', 40, false, 'user'],
      ['errors<1%', 0.5, true, 'user'],
      ['rps>=500', 500, true, 'user'],
      ['ok>0', 5000, true, 'default'],
    ]);
  });

  it('--slo default applies the five documented targets', () => {
    expect(resolveThresholds([], 'default').map((t) => t.expression)).toEqual([...DEFAULT_SLO, 'ok>0']);
    const results = evaluateThresholds(resolveThresholds([], 'default'), {
      latency,
      errorRate: 0.2,
      rps: 900,
      ok: 900,
    });
    expect(results.map((r) => r.pass)).toEqual([true, true, true, false, false, true]);
  });

  it('without thresholds a run still checks the error budget and that something succeeded', () => {
    const checks = resolveThresholds([], undefined);
    expect(checks.map((t) => [t.expression, t.source])).toEqual([
      ['errors<0.1%', 'default'],
      ['ok>0', 'default'],
    ]);
    const clean = evaluateThresholds(checks, { latency, errorRate: 0.05, rps: 100, ok: 1999 });
    expect(clean.every((r) => r.pass)).toBe(true);
    const failing = evaluateThresholds(checks, { latency, errorRate: 0.2, rps: 100, ok: 1998 });
    expect(failing.map((r) => r.pass)).toEqual([false, true]);
  });

  it('a dead target fails every check, latency thresholds included (no successful response to judge)', () => {
    const results = evaluateThresholds(resolveThresholds(['p99<200ms', 'errors<100%'], undefined), {
      latency: NO_LATENCY,
      errorRate: 100,
      rps: 0,
      ok: 0,
    });
    expect(results.map((r) => [r.expression, r.actual, r.pass, r.reason])).toEqual([
      ['p99<200ms', null, false, 'no successful response: no latency to judge'],
      ['errors<100%', 100, false, undefined],
      ['ok>0', 0, false, undefined],
    ]);
    // Whatever figures come with it: a summary of nothing passes nothing (p99 0 would pass p99<200ms).
    const zeros = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
    const [p99] = evaluateThresholds([parseThreshold('p99<200ms')], {
      latency: zeros,
      errorRate: 100,
      rps: 0,
      ok: 0,
    });
    expect(p99).toMatchObject({ pass: false, reason: 'no successful response: no latency to judge' });
  });
});

describe('--slo as a list of thresholds', () => {
  it('checks each expression with source slo; its errors budget replaces the default', () => {
    const all = resolveThresholds([], 'p99<100ms, errors<1%');
    expect(all.map((t) => [t.expression, t.source])).toEqual([
      ['p99<100ms', 'slo'],
      ['errors<1%', 'slo'],
      ['ok>0', 'default'],
    ]);
    expect(resolveThresholds([], 'default').filter((t) => t.source === 'slo')).toHaveLength(
      DEFAULT_SLO.length,
    );
  });
});
