import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
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

describe('summarize, spectrum and distribution', () => {
  it('keeps 3 significant digits at microsecond resolution', () => {
    const h = createHistogram();
    h.recordValue(1234); // 1.234 ms
    h.recordValue(987_654); // 987.654 ms
    const s = summarize(h);
    expect(s.min).toBeCloseTo(1.234, 3);
    expect(Math.abs(s.max! - 987.654) / 987.654).toBeLessThan(0.001);
  });

  it('summarizes an empty histogram with no figure (null, not a 0 ms that reads as fast)', () => {
    expect(summarize(createHistogram())).toEqual({
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

// Property runs walk whole HDR histograms (hundreds of ms quietly, 10 s+ at load 20 on 2 cores).
describe('percentiles and mean from the non-empty buckets', { timeout: 60_000 }, () => {
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

// Property runs walk whole HDR histograms (hundreds of ms quietly, 10 s+ at load 20 on 2 cores).
describe('distribution from the recorded buckets', { timeout: 60_000 }, () => {
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
