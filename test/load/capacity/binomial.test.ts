import { describe, expect, it } from 'vitest';
import { binomialCdf, binomialQuantile, binomialSurvival } from '../../../src/load/capacity/binomial.js';

/** Direct sum of the pmf with exact binomial coefficients (small n only). */
function naiveCdf(k: number, n: number, p: number): number {
  let sum = 0;
  let coefficient = 1;
  for (let i = 0; i <= k; i++) {
    sum += coefficient * p ** i * (1 - p) ** (n - i);
    coefficient = (coefficient * (n - i)) / (i + 1);
  }
  return sum;
}

describe('binomial tails', () => {
  it('match a direct sum on small cases, both below and above the mean', () => {
    for (const [n, p] of [
      [10, 0.5],
      [30, 0.1],
      [60, 0.01],
      [25, 0.9],
    ] as const) {
      for (let k = 0; k <= n; k++) expect(binomialCdf(k, n, p)).toBeCloseTo(naiveCdf(k, n, p), 10);
    }
  });

  it('give the textbook figures', () => {
    // No sample beyond p99 in 299 samples: 0.99^299 < 5 %, the rule of three.
    expect(binomialCdf(0, 299, 0.01)).toBeLessThan(0.05);
    expect(binomialCdf(0, 298, 0.01)).toBeGreaterThan(0.05);
    expect(binomialSurvival(0, 100, 0.01)).toBe(1);
    expect(binomialSurvival(1, 100, 0.01)).toBeCloseTo(1 - 0.99 ** 100, 12);
  });

  it('stay finite and monotone for large n', () => {
    const n = 200_000;
    let last = 0;
    for (const k of [1800, 1900, 2000, 2100, 2200]) {
      const c = binomialCdf(k, n, 0.01);
      expect(c).toBeGreaterThanOrEqual(last);
      last = c;
    }
    expect(binomialCdf(2000, n, 0.01)).toBeCloseTo(0.5, 1);
  });

  it('invert the cdf', () => {
    for (const prob of [0.025, 0.5, 0.975]) {
      const k = binomialQuantile(prob, 500, 0.05);
      expect(binomialCdf(k, 500, 0.05)).toBeGreaterThanOrEqual(prob);
      if (k > 0) expect(binomialCdf(k - 1, 500, 0.05)).toBeLessThan(prob);
    }
  });
});
