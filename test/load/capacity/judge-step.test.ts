import { describe, expect, it } from 'vitest';
import { isTenonError } from '../../../src/core/errors.js';
import { parseCapacitySlo } from '../../../src/load/capacity/capacity-slo.js';
import { countBeyond, valueAtRank } from '../../../src/load/capacity/histogram-tail.js';
import { decideStep, judgeErrors, judgeObjective } from '../../../src/load/capacity/judge-step.js';
import { createTotalHistogram } from '../../../src/load/histogram.js';

/** A histogram of latencies given in ms, `count` of each. */
function histogramOf(...groups: [ms: number, count: number][]) {
  const h = createTotalHistogram();
  for (const [ms, count] of groups) h.recordValueWithCount(ms * 1000, count);
  return h;
}

const p99 = { expression: 'p99<100ms', percentile: 99, limit: 100, inclusive: false };

describe('capacity SLO', () => {
  it('parses latency objectives and an error budget', () => {
    const slo = parseCapacitySlo('p95<50ms, p99<=0.2s,errors<1%');
    expect(slo.latency).toEqual([
      { expression: 'p95<50ms', percentile: 95, limit: 50, inclusive: false },
      { expression: 'p99<=0.2s', percentile: 99, limit: 200, inclusive: true },
    ]);
    expect(slo).toMatchObject({ errorBudget: 1, errorBudgetSource: 'slo' });
    expect(parseCapacitySlo(['p99<100ms'])).toMatchObject({ errorBudget: 0.1, errorBudgetSource: 'default' });
    expect(parseCapacitySlo('default').latency.map((o) => o.expression)).toEqual([
      'p50<50ms',
      'p95<200ms',
      'p99<500ms',
    ]);
  });

  it.each([
    ['', 'needs an SLO'],
    ['p99>100ms', 'upper limit'],
    ['rps>100', 'only latency percentiles'],
    ['max<100ms', 'only latency percentiles'],
    ['errors<1%', 'at least one latency percentile'],
    ['p99<100ms,errors<1%,errors<2%', 'one error budget'],
    ['p99 under 100', 'not an objective'],
  ])('refuses %j', (text, why) => {
    try {
      parseCapacitySlo(text);
      expect.unreachable();
    } catch (error) {
      expect(isTenonError(error) && error.code).toBe('TENON_LOAD_SLO_INVALID');
      expect((error as Error).message).toContain(why);
    }
  });
});

describe('histogram tail', () => {
  it('counts samples beyond a limit as percentiles report them', () => {
    const h = histogramOf([10, 990], [150, 10]);
    expect(countBeyond(h, 100_000, false)).toBe(10);
    expect(countBeyond(h, 150_000, false)).toBe(10);
    expect(countBeyond(h, 150_000, true)).toBe(0);
    expect(Math.abs(valueAtRank(h, 990) - 10_000)).toBeLessThanOrEqual(10); // the top of its bucket (3 digits)
    expect(valueAtRank(h, 991)).toBe(150_000);
  });
});

describe('judging a step', () => {
  it('passes a percentile clearly under the limit with enough samples', () => {
    const j = judgeObjective(histogramOf([10, 2000]), p99, 0.95);
    expect(j).toMatchObject({ decision: 'pass', beyond: 0, samples: 2000, value: 10 });
    expect(j.confidence).toBeGreaterThan(0.99);
  });

  it('cannot pass p99 on too few samples, however fast', () => {
    // 0.99^100 = 0.37: a sample of 100 with none beyond is not evidence enough at 95 %.
    const j = judgeObjective(histogramOf([10, 100]), p99, 0.95);
    expect(j.decision).toBe('unclear');
    expect(j.confidence).toBeCloseTo(1 - 0.99 ** 100, 3);
    expect(j.high).toBeNull();
  });

  it('fails a percentile clearly over the limit', () => {
    const j = judgeObjective(histogramOf([10, 900], [300, 100]), p99, 0.95);
    expect(j).toMatchObject({ decision: 'fail', beyond: 100, value: 300 });
    expect(j.low).toBe(300);
  });

  it('calls a percentile at the limit unclear', () => {
    // 1 % beyond, exactly what p99 = limit predicts.
    const j = judgeObjective(histogramOf([10, 990], [300, 10]), p99, 0.95);
    expect(j.decision).toBe('unclear');
    expect(j.low).toBeLessThanOrEqual(j.value);
  });

  it('holds errors to the budget, failing only when the excess is clear', () => {
    expect(judgeErrors(1000, 1, 0.1, 0.95).decision).toBe('pass');
    expect(judgeErrors(300, 1, 0.1, 0.95).decision).toBe('unclear');
    expect(judgeErrors(1000, 50, 0.1, 0.95)).toMatchObject({ decision: 'fail', rate: 5 });
  });

  it('decides a step from its parts', () => {
    const pass = judgeObjective(histogramOf([10, 2000]), p99, 0.95);
    const fail = judgeObjective(histogramOf([10, 900], [300, 100]), p99, 0.95);
    const unclear = judgeObjective(histogramOf([10, 100]), p99, 0.95);
    const noErrors = judgeErrors(2000, 0, 0.1, 0.95);
    expect(decideStep([pass], noErrors, 2000)).toMatchObject({ decision: 'pass', reason: 'met' });
    expect(decideStep([pass, fail], noErrors, 2000)).toMatchObject({
      decision: 'fail',
      reason: 'p99<100ms not met',
    });
    expect(decideStep([pass, unclear], noErrors, 2000).decision).toBe('unclear');
    expect(decideStep([pass], judgeErrors(2000, 100, 0.1, 0.95), 1900).reason).toContain('budget');
    expect(decideStep([], noErrors, 0)).toMatchObject({ decision: 'fail', reason: 'no request succeeded' });
  });
});
