import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addEncoded,
  encodedPercentileUs,
  encodeHistogram,
  mergeEncoded,
} from '../../src/load/encoded-histogram.js';
import {
  createHistogram,
  createTotalHistogram,
  MAX_LATENCY_US,
  recordMicros,
} from '../../src/load/histogram.js';
import { percentileUs, summarize } from '../../src/load/histogram-summary.js';

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100];

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
