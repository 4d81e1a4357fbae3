import { describe, expect, it } from 'vitest';
import { blockBootstrapRateRatio, blockBootstrapRatios } from '../../../src/load/baseline/block-bootstrap.js';
import { blockOf } from '../../../src/load/baseline/latency-blocks.js';
import {
  binomialQuantile,
  normalQuantile,
  quantileInterval,
} from '../../../src/load/baseline/quantile-interval.js';
import { seededRandom } from '../../../src/load/baseline/seeded-random.js';
import { ksTest, percentileRatio, rateRatio } from '../../../src/load/baseline/two-sample.js';
import { createTotalHistogram, type LatencyHistogram } from '../../../src/load/histogram.js';

/** n samples of 2 ms + an exponential of mean 3 ms, times `scale`, in µs. */
function sample(n: number, scale: number, seed: number): LatencyHistogram {
  const r = seededRandom(seed);
  const h = createTotalHistogram();
  for (let i = 0; i < n; i++) h.recordValue(Math.round(scale * (2000 - 3000 * Math.log(r()))));
  return h;
}

/** The true quantile of that distribution, µs. */
const trueQuantile = (q: number, scale = 1) => scale * (2000 - 3000 * Math.log(1 - q));

describe('normalQuantile and binomialQuantile', () => {
  it('match the tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    // Binomial(100, 0.5): P(B ≤ 39) = 0.0176, P(B ≤ 40) = 0.0284.
    expect(binomialQuantile(100, 0.5, 0.025)).toBe(40);
    expect(binomialQuantile(100, 0.5, 0.975)).toBe(60);
    // Binomial(2000, 0.999): P(B ≤ 1999) = 1 − 0.999^2000 = 0.865.
    expect(binomialQuantile(2000, 0.999, 0.8)).toBe(1999);
    expect(binomialQuantile(2000, 0.999, 0.9)).toBe(2000);
  });
});

describe('quantileInterval', () => {
  it('covers the true percentile at about the stated confidence (200 simulated runs)', () => {
    for (const p of [50, 90, 99]) {
      let covered = 0;
      for (let run = 0; run < 200; run++) {
        const i = quantileInterval(sample(500, 1, 1000 * p + run), p, 0.95);
        // The histogram's buckets are 0.1 % wide: allow for the top-of-bucket convention.
        if (i.low <= trueQuantile(p / 100) * 1.001 && trueQuantile(p / 100) <= i.high * 1.001) covered++;
      }
      // Order-statistic intervals are conservative: at least the nominal 95 %, up to sampling noise.
      expect(covered / 200, `p${p}`).toBeGreaterThanOrEqual(0.9);
      expect(covered / 200, `p${p}`).toBeLessThanOrEqual(1);
    }
  });

  it('has no upper bound when the sample is too small for the percentile', () => {
    const i = quantileInterval(sample(500, 1, 7), 99.9, 0.95);
    expect(i.high).toBe(Number.POSITIVE_INFINITY);
    expect(i.low).toBeGreaterThan(0);
    expect(quantileInterval(createTotalHistogram(), 50, 0.95)).toEqual({
      estimate: 0,
      low: 0,
      high: Number.POSITIVE_INFINITY,
    });
  });

  it('narrows as the sample grows', () => {
    const width = (n: number) => {
      const i = quantileInterval(sample(n, 1, 3), 99, 0.95);
      return i.high / i.low;
    };
    expect(width(100_000)).toBeLessThan(width(5_000));
  });
});

describe('percentileRatio', () => {
  it('brackets 1 for two samples of one distribution and the true ratio for a scaled one', () => {
    const a = sample(20_000, 1, 11);
    const same = percentileRatio(
      quantileInterval(a, 99, 0.95),
      quantileInterval(sample(20_000, 1, 12), 99, 0.95),
      0.95,
    );
    expect(same.low).toBeLessThan(1);
    expect(same.high).toBeGreaterThan(1);
    const slower = percentileRatio(
      quantileInterval(a, 50, 0.95),
      quantileInterval(sample(20_000, 1.3, 13), 50, 0.95),
      0.95,
    );
    expect(slower.low).toBeGreaterThan(1.2);
    expect(slower.low).toBeLessThan(1.3);
    expect(slower.high).toBeGreaterThan(1.3);
  });

  it('is unbounded when a side has no bound', () => {
    const r = percentileRatio(
      { estimate: 10, low: 8, high: Infinity },
      { estimate: 30, low: 25, high: 35 },
      0.95,
    );
    expect(r).toEqual({ ratio: 3, low: 0, high: Infinity });
  });
});

describe('rateRatio', () => {
  it('gives the Poisson interval of the ratio of two rates', () => {
    const r = rateRatio({ count: 10_000, seconds: 10 }, { count: 8_000, seconds: 10 }, 0.95);
    expect(r.ratio).toBeCloseTo(0.8, 9);
    const se = Math.sqrt(1 / 10_000 + 1 / 8_000);
    expect(r.low).toBeCloseTo(0.8 * Math.exp(-1.959964 * se), 5);
    expect(r.high).toBeLessThan(1);
    expect(Number.isNaN(rateRatio({ count: 0, seconds: 1 }, { count: 5, seconds: 1 }, 0.95).ratio)).toBe(
      true,
    );
  });
});

describe('ksTest', () => {
  it('does not reject one distribution and rejects a shifted one', () => {
    const a = sample(5_000, 1, 21);
    const same = ksTest(a, sample(5_000, 1, 22));
    expect(same.pValue).toBeGreaterThan(0.01);
    const shifted = ksTest(a, sample(5_000, 1.1, 23));
    expect(shifted.pValue).toBeLessThan(0.001);
    expect(shifted.statistic).toBeGreaterThan(same.statistic);
    expect(ksTest(a, createTotalHistogram())).toEqual({ statistic: 0, pValue: 1, atMs: 0 });
  });
});

describe('blockBootstrapRatios', () => {
  const blocks = (seconds: number, seed: number, stallAt = -1) =>
    Array.from({ length: seconds }, (_, s) => {
      const h = sample(300, s === stallAt ? 4 : 1, seed * 100 + s);
      return blockOf(h);
    });

  it('is unbounded with fewer than five seconds a side', () => {
    expect(blockBootstrapRatios(blocks(4, 1), blocks(10, 2), [50], 0.95)).toEqual([
      { ratio: Number.NaN, low: 0, high: Number.POSITIVE_INFINITY },
    ]);
  });

  it('brackets 1 for the same distribution and widens when one second stalled', () => {
    const [p50, p99] = blockBootstrapRatios(blocks(10, 3), blocks(10, 4), [50, 99], 0.95);
    expect(p50!.low).toBeLessThan(1);
    expect(p50!.high).toBeGreaterThan(1);
    const [, stalled] = blockBootstrapRatios(blocks(10, 3), blocks(10, 4, 6), [50, 99], 0.95);
    // One slow second out of ten lifts p99 a lot, but the interval reaches back below no change.
    expect(stalled!.high).toBeGreaterThan(p99!.high * 1.5);
    expect(stalled!.low).toBeLessThan(1.05);
  });
});

describe('blockBootstrapRateRatio', () => {
  const perSecond = (counts: number[]) => counts.map((c) => ({ values: [1000], counts: [c] }));

  it('leaves the last (partial) second out and needs five full seconds a side', () => {
    const full = perSecond([100, 102, 98, 101, 99, 100, 3]);
    const r = blockBootstrapRateRatio(full, perSecond([70, 71, 69, 70, 72, 68, 1]), 0.95);
    expect(r.low).toBeGreaterThan(0.65);
    expect(r.high).toBeLessThan(0.75);
    expect(blockBootstrapRateRatio(perSecond([100, 100, 100, 100, 100]), full, 0.95).high).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});
