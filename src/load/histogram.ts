import { createRequire } from 'node:module';
import type * as hdr from 'hdr-histogram-js';

/** An HDR histogram of latencies in microseconds. */
export type LatencyHistogram = hdr.Histogram;

/** Largest latency tracked: one hour, in microseconds. Longer values are clamped. */
export const MAX_LATENCY_US = 3_600_000_000;

type HistogramClass = new (lowest: number, highest: number, digits: number) => hdr.Histogram;

// The two array-backed classes hdr.build() picks, loaded by path: the package's index also loads its
// WebAssembly build (a large inlined module) and the deflate encoder, which a load worker never
// uses and which cost every worker thread tens of ms of CPU at its start.
const require = createRequire(import.meta.url);
const hdrClass = (name: string) =>
  (require(`hdr-histogram-js/dist/${name}.js`) as { default: HistogramClass }).default;
const Int32Histogram = hdrClass('Int32Histogram');
const Float64Histogram = hdrClass('Float64Histogram');

/**
 * The whole hdr-histogram-js package, loaded on first use: only baseline
 * files and shard results need its compressed encoding (and it costs the
 * CLI ~30 ms of CPU to load at every start).
 */
export function hdrPackage(): typeof hdr {
  return require('hdr-histogram-js') as typeof hdr;
}

/** What hdr.build() makes for lowest value 1, highest MAX_LATENCY_US, 3 digits, no auto-resize. */
function build(Class: HistogramClass): LatencyHistogram {
  const histogram = new Class(1, MAX_LATENCY_US, 3);
  histogram.autoResize = false;
  return histogram;
}

/**
 * Creates a latency histogram: microsecond resolution, 3 significant
 * digits, 32-bit counters (the fastest recorder of hdr-histogram-js; a
 * worker flushes it every second, far below 2^31 samples).
 */
export function createHistogram(): LatencyHistogram {
  return build(Int32Histogram);
}

/**
 * A histogram with 64-bit-safe counters for totals merged on the main
 * thread, where a long run can exceed 2^31 samples in one bucket.
 */
export function createTotalHistogram(): LatencyHistogram {
  return build(Float64Histogram);
}

/** Milliseconds (fractional) to whole microseconds, clamped into the histograms' range. */
export function toMicros(ms: number): number {
  const us = Math.round(ms * 1000);
  return us < 1 ? 1 : Math.min(us, MAX_LATENCY_US);
}

/**
 * What the hot path touches inside an hdr-histogram-js histogram
 * (lowest value 1, so values are stored unscaled).
 */
interface Internals {
  _counts: { [index: number]: number; length: number };
  _totalCount: number;
  maxValue: number;
  minNonZeroValue: number;
}

/**
 * The counts index of a value (an integer in [1, {@link MAX_LATENCY_US}]),
 * the same as hdr's countsArrayIndex for these histograms (lowest value 1,
 * 3 significant digits: 1024 half-bucket slots, a new bucket per power of
 * two above 2047), with integer bit operations instead of its
 * floating-point log2 and pow, which were most of a request's recording
 * cost. Values stay below 2^32, so `>>>` is exact.
 */
export function countsIndex(value: number): number {
  const bucket = Math.max(21 - Math.clz32(value), 0);
  return bucket * 1024 + (value >>> bucket);
}

/**
 * Records one value (whole µs, as {@link toMicros} makes them) into a
 * histogram of {@link createHistogram} or {@link createTotalHistogram};
 * the same state as `histogram.recordValue(value)`, cheaper (see
 * {@link countsIndex}).
 */
export function recordMicros(histogram: LatencyHistogram, value: number): void {
  const h = histogram as unknown as Internals;
  const index = countsIndex(value);
  h._counts[index] = h._counts[index]! + 1;
  h._totalCount++;
  if (value > h.maxValue) h.maxValue = value;
  if (value < h.minNonZeroValue) h.minNonZeroValue = value;
}

/**
 * A histogram's non-empty buckets, for postMessage: bucket indexes and
 * their counts. Far cheaper than the standard compressed encoding (which
 * deflates, ~10 ms per histogram, long enough to stall a worker's event
 * loop) and just as exact.
 */
export interface EncodedHistogram {
  indexes: Uint32Array;
  counts: Float64Array;
  /** The exact smallest and largest values recorded (0 when empty). */
  min: number;
  max: number;
}

interface CountsAccess {
  _counts: ArrayLike<number>;
  valueFromIndex(index: number): number;
}

/**
 * Encodes a histogram's non-empty buckets. Only the buckets between the
 * recorded minimum and maximum are read: a histogram has ~23,000 buckets,
 * and scanning them all twice for each histogram of each target every
 * second cost a worker ~0.3 ms per target (60 ms a second with 200 URLs,
 * long enough to make its own sends late). An empty histogram reads none.
 */
export function encodeHistogram(histogram: LatencyHistogram): EncodedHistogram {
  if (histogram.totalCount === 0) {
    return { indexes: new Uint32Array(0), counts: new Float64Array(0), min: 0, max: 0 };
  }
  const counts = (histogram as unknown as CountsAccess)._counts;
  const max = histogram.maxValue;
  const min = histogram.minNonZeroValue;
  let from = countsIndex(Math.max(1, Math.min(min, MAX_LATENCY_US)));
  let to = Math.min(counts.length - 1, countsIndex(Math.max(1, Math.min(max, MAX_LATENCY_US))));
  let n = 0;
  let total = 0;
  for (let i = from; i <= to; i++) {
    const c = counts[i]!;
    if (c !== 0) {
      n++;
      total += c;
    }
  }
  // A value recorded outside recordMicros (a zero, a value past the range) may lie outside the
  // bounds the minimum and maximum give: then every bucket is read, as before.
  if (total !== histogram.totalCount) {
    from = 0;
    to = counts.length - 1;
    n = 0;
    for (let i = from; i <= to; i++) if (counts[i] !== 0) n++;
  }
  const out: EncodedHistogram = {
    indexes: new Uint32Array(n),
    counts: new Float64Array(n),
    min,
    max,
  };
  let j = 0;
  for (let i = from; i <= to; i++) {
    const c = counts[i]!;
    if (c !== 0) {
      out.indexes[j] = i;
      out.counts[j++] = c;
    }
  }
  return out;
}

/**
 * Adds an encoded histogram into `into`. Exact: each bucket's count is
 * added at its own index (every histogram here has the same bucket layout),
 * and the exact min and max travel alongside, so counts, percentiles, min
 * and max match recording the samples directly.
 */
export function addEncoded(into: LatencyHistogram, encoded: EncodedHistogram): void {
  const n = encoded.indexes.length;
  if (n === 0) return;
  const h = into as unknown as Internals;
  const counts = h._counts;
  let total = 0;
  for (let j = 0; j < n; j++) {
    const count = encoded.counts[j]!;
    const index = encoded.indexes[j]!;
    counts[index] = counts[index]! + count;
    total += count;
  }
  h._totalCount += total;
  if (encoded.max > h.maxValue) h.maxValue = encoded.max;
  if (encoded.min < h.minNonZeroValue) h.minNonZeroValue = encoded.min;
}

/** Bucket-wise sum of encoded histograms (indexes ascending), without building dense arrays. */
export function mergeEncoded(list: readonly EncodedHistogram[]): EncodedHistogram {
  if (list.length === 1) return list[0]!;
  const counts = new Map<number, number>();
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const e of list) {
    if (e.indexes.length === 0) continue;
    for (let j = 0; j < e.indexes.length; j++)
      counts.set(e.indexes[j]!, (counts.get(e.indexes[j]!) ?? 0) + e.counts[j]!);
    min = Math.min(min, e.min);
    max = Math.max(max, e.max);
  }
  const indexes = Uint32Array.from([...counts.keys()].sort((a, b) => a - b));
  return {
    indexes,
    counts: Float64Array.from(indexes, (i) => counts.get(i)!),
    min: counts.size === 0 ? 0 : min,
    max,
  };
}

interface BucketValues {
  valueFromIndex(index: number): number;
  highestEquivalentValue(value: number): number;
}
let layout: BucketValues | undefined;

/**
 * The value (µs) at a percentile of an encoded histogram, computed as
 * HdrHistogram does (the top of the bucket holding that rank) and capped at
 * the exact maximum. Walks only the non-empty buckets: cheap enough for the
 * main thread to summarize every second without dense histograms.
 */
export function encodedPercentileUs(e: EncodedHistogram, percentile: number): number {
  let total = 0;
  for (let j = 0; j < e.counts.length; j++) total += e.counts[j]!;
  if (total === 0) return 0;
  layout ??= createHistogram() as unknown as BucketValues;
  const fp = (Math.min(percentile, 100) / 100) * total;
  const rank = Math.max(Math.ceil(fp - fp * Number.EPSILON), 1);
  let seen = 0;
  for (let j = 0; j < e.indexes.length; j++) {
    seen += e.counts[j]!;
    if (seen >= rank)
      return Math.min(layout.highestEquivalentValue(layout.valueFromIndex(e.indexes[j]!)), e.max);
  }
  return e.max;
}

/** Latency percentiles in milliseconds, as the JSON result carries them. */
export interface LatencySummary {
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

const round3 = (us: number) => Math.round(us) / 1000;

interface BucketMath extends BucketValues {
  lowestEquivalentValue(value: number): number;
  medianEquivalentValue(value: number): number;
}

// HdrHistogram's unit in the last place, as its getValueAtPercentile rounds the rank with it.
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
  const math = histogram as unknown as BucketMath;
  const fp = (Math.min(percentile, 100) / 100) * histogram.totalCount;
  const rank = Math.max(Math.ceil(fp - (fp > 0 ? ulp(fp) : 0)), 1);
  let seen = 0;
  for (let j = 0; j < sparse.indexes.length; j++) {
    seen += sparse.counts[j]!;
    if (seen >= rank) {
      const value = math.valueFromIndex(sparse.indexes[j]!);
      return Math.min(
        percentile === 0 ? math.lowestEquivalentValue(value) : math.highestEquivalentValue(value),
        histogram.maxValue,
      );
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

/** The mean (µs) as HdrHistogram computes it (each bucket at its median), from the non-empty buckets. */
function sparseMeanUs(histogram: LatencyHistogram, sparse: EncodedHistogram): number {
  if (histogram.totalCount === 0) return 0;
  const math = histogram as unknown as BucketMath;
  let total = 0;
  for (let j = 0; j < sparse.indexes.length; j++)
    total += math.medianEquivalentValue(math.valueFromIndex(sparse.indexes[j]!)) * sparse.counts[j]!;
  return total / histogram.totalCount;
}

/** Summarizes a histogram in milliseconds (3 decimals: microsecond resolution). */
export function summarize(histogram: LatencyHistogram): LatencySummary {
  if (histogram.totalCount === 0) {
    return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  }
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
  for (const [us, count] of recordedValues(histogram)) {
    const k = Math.floor(Math.log10(Math.max(1, us)) * 10);
    counts.set(k, (counts.get(k) ?? 0) + count);
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
