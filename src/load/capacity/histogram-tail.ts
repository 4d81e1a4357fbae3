import { encodeHistogram } from '../encoded-histogram.js';
import type { LatencyHistogram } from '../histogram.js';

interface BucketValues {
  valueFromIndex(index: number): number;
  highestEquivalentValue(value: number): number;
}

/**
 * The value of every non-empty bucket as percentiles report it (the top of
 * the bucket, capped at the exact maximum), with its count, ascending.
 */
function buckets(histogram: LatencyHistogram): { value: number; count: number }[] {
  if (histogram.totalCount === 0) return [];
  const layout = histogram as unknown as BucketValues;
  const encoded = encodeHistogram(histogram);
  const max = histogram.maxValue;
  return Array.from(encoded.indexes, (index, j) => ({
    value: Math.min(layout.highestEquivalentValue(layout.valueFromIndex(index)), max),
    count: encoded.counts[j]!,
  }));
}

/**
 * Samples that do not meet `value < limitUs` (or `value <= limitUs` when
 * inclusive), judged on the values percentiles report, so that "p99 <
 * limit" as printed holds exactly when this count is small enough.
 */
export function countBeyond(histogram: LatencyHistogram, limitUs: number, inclusive: boolean): number {
  let n = 0;
  for (const b of buckets(histogram)) if (inclusive ? b.value > limitUs : b.value >= limitUs) n += b.count;
  return n;
}

/** The value (µs) of the sample at a 1-based rank in ascending order, as percentiles report it. */
export function valueAtRank(histogram: LatencyHistogram, rank: number): number {
  let seen = 0;
  const all = buckets(histogram);
  for (const b of all) {
    seen += b.count;
    if (seen >= rank) return b.value;
  }
  return all.at(-1)?.value ?? 0;
}
