import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHistogram } from '../../src/load/encoded-histogram.js';
import {
  bucketLowUs,
  bucketSizeUs,
  createHistogram,
  createTotalHistogram,
  MAX_LATENCY_US,
  recordMicros,
} from '../../src/load/histogram.js';

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
});
