import { type EncodedHistogram, encodeHistogram } from './encoded-histogram.js';
import { bucketLowUs, bucketSizeUs, type LatencyHistogram } from './histogram.js';

/**
 * Latency percentiles in milliseconds, as the JSON result carries them.
 * Without samples (`count` 0) every figure is null: no latency was
 * measured, and a 0 ms p99 would read as a fast target.
 */
export type LatencySummary = MeasuredLatency | UnmeasuredLatency;

/** A {@link LatencySummary} of one sample or more. */
export interface MeasuredLatency {
  /** Number of samples. */
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

/** A {@link LatencySummary} of no sample: nothing to state. */
export interface UnmeasuredLatency {
  count: 0;
  min: null;
  mean: null;
  p50: null;
  p90: null;
  p95: null;
  p99: null;
  p999: null;
  max: null;
}

/** True when the summary has samples, so its figures are numbers. */
export function isMeasured(summary: LatencySummary): summary is MeasuredLatency {
  return summary.count > 0;
}

/** The summary of no sample. */
export const NO_LATENCY: UnmeasuredLatency = Object.freeze({
  count: 0,
  min: null,
  mean: null,
  p50: null,
  p90: null,
  p95: null,
  p99: null,
  p999: null,
  max: null,
});

const round3 = (us: number) => Math.round(us) / 1000;

const ulp = (x: number) => 2 ** (Math.floor(Math.log2(x)) - 52);

/**
 * The value at a percentile of a histogram's non-empty buckets (`sparse`,
 * from {@link encodeHistogram}), exactly as HdrHistogram's
 * getValueAtPercentile computes it (the top of the bucket holding that
 * rank), capped at the exact maximum. HdrHistogram walks all ~23,000
 * buckets for each percentile (and again for the mean): a result's
 * summaries and spectra cost the main thread tens of ms at the end of every
 * run; the non-empty buckets are a few hundred.
 */
function sparsePercentileUs(
  histogram: LatencyHistogram,
  sparse: EncodedHistogram,
  percentile: number,
): number {
  const fp = (Math.min(percentile, 100) / 100) * histogram.totalCount;
  const rank = Math.max(Math.ceil(fp - (fp > 0 ? ulp(fp) : 0)), 1);
  let seen = 0;
  for (let j = 0; j < sparse.indexes.length; j++) {
    seen += sparse.counts[j]!;
    if (seen >= rank) {
      const index = sparse.indexes[j]!;
      const low = bucketLowUs(index);
      return Math.min(percentile === 0 ? low : low + bucketSizeUs(index) - 1, histogram.maxValue);
    }
  }
  return 0;
}

/**
 * The latency at a percentile, µs. HdrHistogram answers with the highest
 * value of the bucket (within 0.1 %); it is capped at the exact maximum so
 * that no percentile reads above `max`.
 */
export function percentileUs(histogram: LatencyHistogram, percentile: number): number {
  return sparsePercentileUs(histogram, encodeHistogram(histogram), percentile);
}

/**
 * The latencies (µs) at several percentiles, in the order given: the same
 * values as {@link percentileUs}, with the non-empty buckets gathered once
 * for all of them instead of once per percentile (a per-second p50 and p99
 * read them twice otherwise). An empty histogram gives zeros.
 */
export function percentilesUs(histogram: LatencyHistogram, percentiles: readonly number[]): number[] {
  if (histogram.totalCount === 0) return percentiles.map(() => 0);
  const sparse = encodeHistogram(histogram);
  return percentiles.map((p) => sparsePercentileUs(histogram, sparse, p));
}

/** The mean (µs) as HdrHistogram computes it (each bucket at its median), from the non-empty buckets. */
function sparseMeanUs(histogram: LatencyHistogram, sparse: EncodedHistogram): number {
  if (histogram.totalCount === 0) return 0;
  let total = 0;
  for (let j = 0; j < sparse.indexes.length; j++) {
    const index = sparse.indexes[j]!;
    total += (bucketLowUs(index) + Math.floor(bucketSizeUs(index) / 2)) * sparse.counts[j]!;
  }
  return total / histogram.totalCount;
}

/** Summarizes a histogram in milliseconds (3 decimals: microsecond resolution); {@link NO_LATENCY} when empty. */
export function summarize(histogram: LatencyHistogram): LatencySummary {
  if (histogram.totalCount === 0) return { ...NO_LATENCY };
  const sparse = encodeHistogram(histogram);
  const at = (p: number) => round3(sparsePercentileUs(histogram, sparse, p));
  return {
    count: histogram.totalCount,
    min: round3(histogram.minNonZeroValue),
    mean: round3(sparseMeanUs(histogram, sparse)),
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max: round3(histogram.maxValue),
  };
}

/** One point of a percentile spectrum: the latency (ms) at a percentile. */
export interface SpectrumPoint {
  percentile: number;
  ms: number;
}

/**
 * The percentile spectrum the classic HDR plot shows: percentiles that get
 * closer to 100 in halving steps (50, 75, 87.5, …), for a log-scaled chart.
 */
export function spectrum(histogram: LatencyHistogram): SpectrumPoint[] {
  if (histogram.totalCount === 0) return [];
  const points: SpectrumPoint[] = [];
  const sparse = encodeHistogram(histogram);
  const limit = Math.min(99.9999, 100 - 100 / histogram.totalCount);
  for (let i = 2; i <= 40; i++) {
    const percentile = 100 - 100 / 2 ** (i / 2);
    if (percentile > limit) break;
    points.push({
      percentile: Math.round(percentile * 10_000) / 10_000,
      ms: round3(sparsePercentileUs(histogram, sparse, percentile)),
    });
  }
  points.push({ percentile: 100, ms: round3(histogram.maxValue) });
  return points;
}

/** One bar of a latency distribution: samples in (from, to] milliseconds. */
export interface DistributionBucket {
  fromMs: number;
  toMs: number;
  count: number;
}

/**
 * The latency distribution in log-spaced buckets (10 per decade), for the
 * distribution chart. Bimodal latency shows up as two humps.
 */
export function distribution(histogram: LatencyHistogram): DistributionBucket[] {
  const counts = new Map<number, number>();
  // From the non-empty buckets (each at its highest value, as recordedValues gives it), not
  // hdr's iterator over all ~23,000 buckets, which cost the end of a run tens of ms.
  const sparse = encodeHistogram(histogram);
  for (let j = 0; j < sparse.indexes.length; j++) {
    const index = sparse.indexes[j]!;
    const us = bucketLowUs(index) + bucketSizeUs(index) - 1;
    const k = Math.floor(Math.log10(Math.max(1, us)) * 10);
    counts.set(k, (counts.get(k) ?? 0) + sparse.counts[j]!);
  }
  if (counts.size === 0) return [];
  const keys = [...counts.keys()];
  const buckets: DistributionBucket[] = [];
  for (let k = Math.min(...keys); k <= Math.max(...keys); k++) {
    buckets.push({
      fromMs: round3(10 ** (k / 10)),
      toMs: round3(10 ** ((k + 1) / 10)),
      count: counts.get(k) ?? 0,
    });
  }
  return buckets;
}

interface RecordedValuesIterator {
  reset(): void;
  hasNext(): boolean;
  next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
}

/** Every distinct recorded value (µs, the highest equivalent value of its bucket) and its count. */
export function* recordedValues(histogram: LatencyHistogram): Generator<[number, number]> {
  // hdr-histogram-js's JS histograms expose the iterator; the public interface does not.
  const it = (histogram as unknown as { recordedValuesIterator: RecordedValuesIterator })
    .recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    yield [v.valueIteratedTo, v.countAtValueIteratedTo];
  }
}
