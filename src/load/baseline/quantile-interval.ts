import type { LatencyHistogram } from '../histogram.js';
import { percentileUs, recordedValues } from '../histogram-summary.js';

/** The two-sided standard normal quantile for a confidence level (0.95 → 1.96). */
export function normalQuantile(p: number): number {
  // Acklam's rational approximation of the inverse normal CDF (relative error < 1.2e-9).
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (k: number[], x: number) => k.reduce((s, v) => s * x + v, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7): enough for binomial probabilities of millions of samples. */
function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xx = x - 1;
  let s = g[0]!;
  for (let i = 1; i < 9; i++) s += g[i]! / (xx + i);
  const t = xx + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(s);
}

/**
 * The smallest k with P(Binomial(n, p) ≤ k) ≥ target. Sums the exact
 * probabilities over mean ± 12 standard deviations (the mass outside is
 * below 1e-30), so it costs O(√n).
 */
export function binomialQuantile(n: number, p: number, target: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return n;
  const mean = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  const from = Math.max(0, Math.floor(mean - 12 * sd - 1));
  const to = Math.min(n, Math.ceil(mean + 12 * sd + 1));
  const base = logGamma(n + 1);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let sum = 0;
  for (let k = from; k <= to; k++) {
    sum += Math.exp(base - logGamma(k + 1) - logGamma(n - k + 1) + k * lp + (n - k) * lq);
    if (sum >= target) return k;
  }
  return to;
}

/** A percentile of a histogram with a distribution-free confidence interval, in µs. */
export interface QuantileInterval {
  /** The percentile as HdrHistogram reports it (top of the bucket holding its rank). */
  estimate: number;
  /** 0 when the sample is too small for a lower bound at this confidence. */
  low: number;
  /** Infinity when the sample is too small for an upper bound (a p99.9 of 500 requests). */
  high: number;
}

/** The values (µs, top of their bucket, capped at the maximum) of the samples of ascending ranks (1-based), in one pass. */
function valuesAtRanks(histogram: LatencyHistogram, ranks: readonly number[]): number[] {
  const out: number[] = [];
  let seen = 0;
  for (const [value, count] of recordedValues(histogram)) {
    seen += count;
    while (out.length < ranks.length && seen >= ranks[out.length]!)
      out.push(Math.min(value, histogram.maxValue));
    if (out.length === ranks.length) return out;
  }
  while (out.length < ranks.length) out.push(histogram.maxValue);
  return out;
}

/**
 * The order-statistic confidence interval of a percentile: with n samples,
 * the number below the true q-quantile is Binomial(n, q), so the samples of
 * ranks l and u (its α/2 and 1 − α/2 quantiles) bracket the true quantile
 * with probability ≥ the confidence, whatever the latency distribution. The
 * ranks are read from the HDR histogram (0.1 % bucket resolution). It is
 * also the exact bootstrap interval of the sample percentile, without
 * resampling. Assumes independent samples (see docs/load.md).
 */
export function quantileInterval(
  histogram: LatencyHistogram,
  percentile: number,
  confidence: number,
): QuantileInterval {
  const n = histogram.totalCount;
  if (n === 0) return { estimate: 0, low: 0, high: Number.POSITIVE_INFINITY };
  const q = percentile / 100;
  const alpha = 1 - confidence;
  // P(B ≤ l − 1) ≤ α/2 and P(B ≥ u) ≤ α/2 with B ~ Binomial(n, q): X(l) ≤ ξq ≤ X(u).
  const l = binomialQuantile(n, q, alpha / 2);
  const u = binomialQuantile(n, q, 1 - alpha / 2) + 1;
  const [low, high] = valuesAtRanks(histogram, [Math.max(l, 1), Math.min(u, n)]);
  return {
    estimate: percentileUs(histogram, percentile),
    low: l < 1 ? 0 : low!,
    high: u > n ? Number.POSITIVE_INFINITY : high!,
  };
}
