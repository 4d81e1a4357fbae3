import {
  bucketLowUs,
  bucketSizeUs,
  countsIndex,
  type LatencyHistogram,
  MAX_LATENCY_US,
} from './histogram.js';

/** What addEncoded touches inside an hdr-histogram-js histogram. */
interface Internals {
  _counts: { [index: number]: number; length: number };
  _totalCount: number;
  maxValue: number;
  minNonZeroValue: number;
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

/**
 * The value (µs) at a percentile of an encoded histogram, computed as
 * HdrHistogram does (the top of the bucket holding that rank) and capped at
 * the exact maximum. Walks only the non-empty buckets: cheap enough for the
 * main thread to summarize every second without dense histograms.
 */
export function encodedPercentileUs(e: EncodedHistogram, percentile: number): number {
  return encodedPercentilesUs(e, [percentile])[0]!;
}

/**
 * {@link encodedPercentileUs} at several percentiles (ascending), in one
 * walk over the buckets, with the bucket bounds in integer arithmetic
 * (`bucketLowUs`, `bucketSizeUs`) instead of hdr's floating-point methods:
 * the main thread summarizes every second of a run this way.
 */
export function encodedPercentilesUs(e: EncodedHistogram, percentiles: readonly number[]): number[] {
  const out = percentiles.map(() => 0);
  let total = 0;
  for (let j = 0; j < e.counts.length; j++) total += e.counts[j]!;
  if (total === 0) return out;
  let k = 0;
  let seen = 0;
  let rank = rankOf(percentiles[0]!, total);
  for (let j = 0; j < e.indexes.length && k < percentiles.length; j++) {
    seen += e.counts[j]!;
    while (k < percentiles.length && seen >= rank) {
      const index = e.indexes[j]!;
      out[k++] = Math.min(bucketLowUs(index) + bucketSizeUs(index) - 1, e.max);
      if (k < percentiles.length) rank = rankOf(percentiles[k]!, total);
    }
  }
  for (; k < percentiles.length; k++) out[k] = e.max;
  return out;
}

/** The rank a percentile falls on among `total` samples, as HdrHistogram computes it. */
function rankOf(percentile: number, total: number): number {
  const fp = (Math.min(percentile, 100) / 100) * total;
  return Math.max(Math.ceil(fp - fp * Number.EPSILON), 1);
}
