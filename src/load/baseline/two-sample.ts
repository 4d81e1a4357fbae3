import type { LatencyHistogram } from '../histogram.js';
import { recordedValues } from '../histogram-summary.js';
import { normalQuantile, type QuantileInterval } from './quantile-interval.js';

/** A ratio current / baseline with its confidence interval. */
export interface RatioInterval {
  ratio: number;
  low: number;
  high: number;
}

/**
 * The confidence interval of the ratio of two percentiles (current /
 * baseline), from each one's order-statistic interval: on the log scale
 * each interval gives a standard error ((ln high − ln low) / 2z), the two
 * add in quadrature, and the ratio's interval is exp(ln ratio ± z·se) — the
 * construction of Price & Bonett (2002) for medians, applied to any
 * percentile. An unbounded side (too few samples) gives an unbounded ratio.
 */
export function percentileRatio(
  baseline: QuantileInterval,
  current: QuantileInterval,
  confidence: number,
): RatioInterval {
  const z = normalQuantile(1 - (1 - confidence) / 2);
  if (baseline.estimate <= 0 || current.estimate <= 0) return { ratio: Number.NaN, low: 0, high: Infinity };
  const se = (i: QuantileInterval) =>
    i.low > 0 && Number.isFinite(i.high) ? (Math.log(i.high) - Math.log(i.low)) / (2 * z) : Infinity;
  const spread = Math.hypot(se(baseline), se(current));
  const ratio = current.estimate / baseline.estimate;
  if (!Number.isFinite(spread)) return { ratio, low: 0, high: Infinity };
  return { ratio, low: ratio * Math.exp(-z * spread), high: ratio * Math.exp(z * spread) };
}

/**
 * The ratio of two rates of counted events (successes per second), with
 * the Poisson interval of the log rate ratio: se = √(1/a + 1/b).
 */
export function rateRatio(
  baseline: { count: number; seconds: number },
  current: { count: number; seconds: number },
  confidence: number,
): RatioInterval {
  if (baseline.count === 0 || current.count === 0 || baseline.seconds <= 0 || current.seconds <= 0)
    return { ratio: Number.NaN, low: 0, high: Infinity };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const ratio = current.count / current.seconds / (baseline.count / baseline.seconds);
  const se = Math.sqrt(1 / baseline.count + 1 / current.count);
  return { ratio, low: ratio * Math.exp(-z * se), high: ratio * Math.exp(z * se) };
}

/** The two-sample Kolmogorov–Smirnov test of two latency histograms. */
export interface KsTest {
  /** The largest distance between the two cumulative distributions (0–1). */
  statistic: number;
  /** Asymptotic p-value: how likely a distance this large is if both runs drew from one distribution. */
  pValue: number;
  /** Where (ms) the distance is largest. */
  atMs: number;
}

/** Kolmogorov's asymptotic tail probability Q(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²). */
function kolmogorovQ(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = (k % 2 ? 2 : -2) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, sum));
}

/**
 * The two-sample Kolmogorov–Smirnov test on the histograms' buckets: the
 * cumulative distributions are compared at every recorded bucket of either
 * (exact up to the buckets' 0.1 % width). The p-value uses the asymptotic
 * distribution with Stephens' small-sample correction.
 */
export function ksTest(baseline: LatencyHistogram, current: LatencyHistogram): KsTest {
  const n = baseline.totalCount;
  const m = current.totalCount;
  if (n === 0 || m === 0) return { statistic: 0, pValue: 1, atMs: 0 };
  const steps = new Map<number, [number, number]>();
  for (const [v, c] of recordedValues(baseline)) steps.set(v, [c, 0]);
  for (const [v, c] of recordedValues(current)) {
    const s = steps.get(v);
    if (s) s[1] = c;
    else steps.set(v, [0, c]);
  }
  let fa = 0;
  let fb = 0;
  let d = 0;
  let at = 0;
  for (const v of [...steps.keys()].sort((x, y) => x - y)) {
    const [a, b] = steps.get(v)!;
    fa += a / n;
    fb += b / m;
    if (Math.abs(fa - fb) > d) {
      d = Math.abs(fa - fb);
      at = v;
    }
  }
  const ne = Math.sqrt((n * m) / (n + m));
  return {
    statistic: d,
    pValue: kolmogorovQ((ne + 0.12 + 0.11 / ne) * d),
    atMs: Math.round(at) / 1000,
  };
}
