import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addEncoded,
  encodedPercentileUs,
  encodeHistogram,
  mergeEncoded,
} from '../../src/load/encoded-histogram.js';
import {
  bucketLowUs,
  bucketSizeUs,
  createHistogram,
  createTotalHistogram,
  MAX_LATENCY_US,
  recordMicros,
} from '../../src/load/histogram.js';
import {
  distribution,
  percentilesUs,
  percentileUs,
  recordedValues,
  spectrum,
  summarize,
} from '../../src/load/histogram-summary.js';

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100];

describe('recordMicros', () => {
  // Powers of two and their neighbours are where the bucket arithmetic could be off by one.
  const edges = [1, 2, 1023, 1024, 1025, 2047, 2048, 2049, MAX_LATENCY_US - 1, MAX_LATENCY_US];
  for (let k = 2; k < 32; k++) edges.push(2 ** k - 1, 2 ** k, 2 ** k + 1);
  const inRange = edges.filter((v) => v <= MAX_LATENCY_US);

  it('leaves a histogram exactly as recordValue does (counts, total, min, max)', () => {
    for (const make of [createHistogram, createTotalHistogram]) {
      fc.assert(
        fc.property(
          fc.array(fc.oneof(fc.integer({ min: 1, max: MAX_LATENCY_US }), fc.constantFrom(...inRange)), {
            minLength: 1,
            maxLength: 2000,
          }),
          (values) => {
            const fast = make();
            const reference = make();
            for (const v of values) {
              recordMicros(fast, v);
              reference.recordValue(v);
            }
            expect(fast.totalCount).toBe(reference.totalCount);
            expect(fast.minNonZeroValue).toBe(reference.minNonZeroValue);
            expect(fast.maxValue).toBe(reference.maxValue);
            expect(encodeHistogram(fast)).toEqual(encodeHistogram(reference));
          },
        ),
        { numRuns: 40 },
      );
    }
  });

  it('puts every edge value in the bucket recordValue picks', () => {
    for (const v of inRange) {
      const fast = createHistogram();
      const reference = createHistogram();
      recordMicros(fast, v);
      reference.recordValue(v);
      expect(encodeHistogram(fast), `value ${v}`).toEqual(encodeHistogram(reference));
    }
  });
});

describe('histogram merge', () => {
  it('merging encoded worker histograms equals one histogram of the same samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 120_000_000 }), fc.integer({ min: 0, max: 3 })), {
          minLength: 1,
          maxLength: 3000,
        }),
        (samples) => {
          const single = createTotalHistogram();
          const workers = [createHistogram(), createHistogram(), createHistogram(), createHistogram()];
          for (const [value, worker] of samples) {
            single.recordValue(value);
            workers[worker]!.recordValue(value);
          }
          const merged = createTotalHistogram();
          for (const w of workers) addEncoded(merged, encodeHistogram(w));
          expect(merged.totalCount).toBe(single.totalCount);
          expect(merged.minNonZeroValue).toBe(single.minNonZeroValue);
          expect(merged.maxValue).toBe(single.maxValue);
          for (const p of PERCENTILES)
            expect(merged.getValueAtPercentile(p)).toBe(single.getValueAtPercentile(p));
          expect(summarize(merged)).toEqual(summarize(single));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('percentiles of merged sparse encodings equal those of the merged histogram', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 1, max: 5_000_000 }), { maxLength: 500 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (workers) => {
          const single = createTotalHistogram();
          const encoded = workers.map((values) => {
            const h = createHistogram();
            for (const v of values) {
              h.recordValue(v);
              single.recordValue(v);
            }
            return encodeHistogram(h);
          });
          const merged = mergeEncoded(encoded);
          for (const p of PERCENTILES.slice(1)) {
            expect(encodedPercentileUs(merged, p)).toBe(single.totalCount ? percentileUs(single, p) : 0);
          }
          expect(merged.max).toBe(single.totalCount ? single.maxValue : 0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps 3 significant digits at microsecond resolution', () => {
    const h = createHistogram();
    h.recordValue(1234); // 1.234 ms
    h.recordValue(987_654); // 987.654 ms
    const s = summarize(h);
    expect(s.min).toBeCloseTo(1.234, 3);
    expect(Math.abs(s.max - 987.654) / 987.654).toBeLessThan(0.001);
  });

  it('summarizes an empty histogram as zeros', () => {
    expect(summarize(createHistogram())).toMatchObject({ count: 0, p99: 0, max: 0 });
    expect(spectrum(createHistogram())).toEqual([]);
    expect(distribution(createHistogram())).toEqual([]);
  });

  it('gives a spectrum ending at max and a distribution that counts every sample', () => {
    const h = createHistogram();
    for (let i = 1; i <= 10_000; i++) h.recordValue(i * 10);
    const points = spectrum(h);
    expect(points[0]).toMatchObject({ percentile: 50 });
    expect(points.at(-1)).toEqual({ percentile: 100, ms: summarize(h).max });
    for (let i = 1; i < points.length; i++) expect(points[i]!.ms).toBeGreaterThanOrEqual(points[i - 1]!.ms);
    const buckets = distribution(h);
    expect(buckets.reduce((s, b) => s + b.count, 0)).toBe(10_000);
  });
});

describe('percentiles and mean from the non-empty buckets', () => {
  it('equal HdrHistogram’s own getValueAtPercentile (capped at max) and mean, exactly', () => {
    for (const make of [createHistogram, createTotalHistogram]) {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 1, max: MAX_LATENCY_US }), { minLength: 1, maxLength: 300 }),
          fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 300 }),
          (values, weights) => {
            const h = make();
            for (const [i, v] of values.entries()) h.recordValueWithCount(v, weights[i % weights.length]!);
            for (const p of [...PERCENTILES, 33.3, 99.999]) {
              expect(percentileUs(h, p)).toBe(Math.min(h.getValueAtPercentile(p), h.maxValue));
            }
            expect(summarize(h).mean).toBe(Math.round(h.mean) / 1000);
            // Several at once, in the order asked: the same values as one at a time.
            const asked = [99, 50, ...PERCENTILES];
            expect(percentilesUs(h, asked)).toEqual(asked.map((p) => percentileUs(h, p)));
          },
        ),
        { numRuns: 80 },
      );
    }
  });

  it('percentilesUs of an empty histogram is a zero per percentile asked', () => {
    expect(percentilesUs(createHistogram(), [50, 99])).toEqual([0, 0]);
    expect(percentilesUs(createTotalHistogram(), [])).toEqual([]);
  });
});

describe('bucket values from a counts index', () => {
  it('bucketLowUs and bucketSizeUs equal hdr’s valueFromIndex and sizeOfEquivalentValueRange', () => {
    const h = createHistogram() as unknown as {
      valueFromIndex(i: number): number;
      sizeOfEquivalentValueRange(v: number): number;
      countsArrayIndex(v: number): number;
    };
    const last = h.countsArrayIndex(MAX_LATENCY_US);
    // Every index at the low end and at each bucket's edges, and a sample in between.
    const indexes = new Set<number>();
    for (let i = 0; i < 4096; i++) indexes.add(i);
    for (let b = 2048; b <= last; b += 1024) for (const d of [-1, 0, 1, 511]) indexes.add(b + d);
    for (let i = 0; i <= last; i += 97) indexes.add(i);
    for (const i of indexes) {
      if (i > last) continue;
      const value = h.valueFromIndex(i);
      expect(bucketLowUs(i)).toBe(value);
      expect(bucketSizeUs(i)).toBe(h.sizeOfEquivalentValueRange(value));
    }
  });

  it('distribution equals the one built from hdr’s recorded-values iterator', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: MAX_LATENCY_US }), { minLength: 0, maxLength: 300 }),
        (values) => {
          const h = createTotalHistogram();
          for (const v of values) recordMicros(h, v);
          const counts = new Map<number, number>();
          for (const [us, count] of recordedValues(h)) {
            const k = Math.floor(Math.log10(Math.max(1, us)) * 10);
            counts.set(k, (counts.get(k) ?? 0) + count);
          }
          const got = distribution(h);
          expect(got.filter((b) => b.count > 0).map((b) => b.count)).toEqual(
            [...counts].sort((a, b) => a[0] - b[0]).map(([, c]) => c),
          );
          expect(got.reduce((s, b) => s + b.count, 0)).toBe(values.length);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('encodeHistogram', () => {
  /** Every non-empty bucket, read from the whole counts array: what the encoding must equal. */
  function fullScan(h: ReturnType<typeof createHistogram>) {
    const counts = (h as unknown as { _counts: ArrayLike<number> })._counts;
    const indexes: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] !== 0) {
        indexes.push(i);
        values.push(counts[i]!);
      }
    }
    return { indexes, values };
  }

  it('reads only between the minimum and the maximum, yet finds every bucket a full scan finds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: MAX_LATENCY_US }), { minLength: 1, maxLength: 500 }),
        fc.boolean(),
        (values, withZero) => {
          const h = createHistogram();
          for (const v of values) recordMicros(h, v);
          // A zero recorded through hdr's own recordValue lands below the minimum it keeps.
          if (withZero) h.recordValue(0);
          const e = encodeHistogram(h);
          const want = fullScan(h);
          expect([...e.indexes]).toEqual(want.indexes);
          expect([...e.counts]).toEqual(want.values);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('encodes an empty histogram as no buckets', () => {
    expect(encodeHistogram(createHistogram())).toEqual({
      indexes: new Uint32Array(0),
      counts: new Float64Array(0),
      min: 0,
      max: 0,
    });
  });
});
