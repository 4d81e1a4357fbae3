import { createRequire } from 'node:module';
import type * as hdr from 'hdr-histogram-js';

/** An HDR histogram of latencies in microseconds. */
export type LatencyHistogram = hdr.Histogram;

/** Largest latency tracked: one hour, in microseconds. Longer values are clamped. */
export const MAX_LATENCY_US = 3_600_000_000;

type HistogramClass = new (lowest: number, highest: number, digits: number) => hdr.Histogram;

// The two array-backed classes hdr.build() picks, loaded by path: the package's index also loads its
// WebAssembly build (a large inlined module) and the deflate encoder, which a load worker never
// uses and which cost every worker thread tens of ms of CPU at its start. Literal paths: the load
// worker's bundle (scripts/bundle-cli.ts) holds these files instead of requiring them one by one.
const require = createRequire(import.meta.url);
const Int32Histogram = (require('hdr-histogram-js/dist/Int32Histogram.js') as { default: HistogramClass })
  .default;
const Float64Histogram = (require('hdr-histogram-js/dist/Float64Histogram.js') as { default: HistogramClass })
  .default;

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
 * The lowest value (µs) of the bucket at a counts index: the inverse of
 * {@link countsIndex}, hdr's valueFromIndex for these histograms, in
 * integer arithmetic (hdr's own goes through floating-point log2 for each
 * call, which made summaries of wide histograms cost tens of ms).
 */
export function bucketLowUs(index: number): number {
  const bucket = (index >> 10) - 1;
  return bucket <= 0 ? index : ((index & 1023) + 1024) * 2 ** bucket;
}

/** How many values (µs) share the bucket at a counts index (hdr's sizeOfEquivalentValueRange). */
export function bucketSizeUs(index: number): number {
  const bucket = (index >> 10) - 1;
  return bucket <= 0 ? 1 : 2 ** bucket;
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
