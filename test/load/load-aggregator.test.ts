import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHistogram } from '../../src/load/encoded-histogram.js';
import { emptyErrorCounts } from '../../src/load/error-category.js';
import { createHistogram, MAX_LATENCY_US, recordMicros } from '../../src/load/histogram.js';
import { Totals } from '../../src/load/load-aggregator.js';
import type { TargetInterval } from '../../src/load/worker-protocol.js';

/** One endpoint's interval with these latencies: successes (2xx) and failures (5xx). */
function interval(ok: number[], failed: number[]): TargetInterval {
  const encode = (values: number[]) => {
    const h = createHistogram();
    for (const v of values) recordMicros(h, v);
    return encodeHistogram(h);
  };
  return {
    service: encode(ok),
    corrected: null,
    failed: failed.length ? encode(failed) : null,
    rateLimit: null,
    classes: { '2xx': encode(ok), ...(failed.length ? { '5xx': encode(failed) } : {}) },
    statuses: { 200: ok.length, ...(failed.length ? { 503: failed.length } : {}) },
    errors: { ...emptyErrorCounts(), serverError: failed.length },
    responses: ok.length + failed.length,
    ok: ok.length,
    sent: ok.length + failed.length,
    bytes: 0,
  };
}

describe('Totals.addTotals', () => {
  it('sums endpoints bucket by bucket: the same histograms as hdr’s own add()', () => {
    const latencies = fc.array(fc.integer({ min: 1, max: MAX_LATENCY_US }), { maxLength: 200 });
    fc.assert(
      fc.property(latencies, latencies, latencies, latencies, (okA, failedA, okB, failedB) => {
        const a = new Totals();
        const b = new Totals();
        a.addInterval(interval(okA, failedA));
        b.addInterval(interval(okB, failedB));
        const all = new Totals();
        all.addTotals(a);
        all.addTotals(b);
        const expected = new Totals();
        for (const t of [a, b]) {
          expected.service.add(t.service);
          expected.corrected.add(t.corrected);
          expected.failed.add(t.failed);
        }
        for (const key of ['service', 'corrected', 'failed'] as const) {
          expect(encodeHistogram(all[key])).toEqual(encodeHistogram(expected[key]));
          expect(all[key].totalCount).toBe(expected[key].totalCount);
        }
        expect(all.classes.get('2xx')?.totalCount ?? 0).toBe(okA.length + okB.length);
        expect(all.classes.get('5xx')?.totalCount ?? 0).toBe(failedA.length + failedB.length);
        expect(all.responses).toBe(a.responses + b.responses);
      }),
      { numRuns: 60 },
    );
  });
});
