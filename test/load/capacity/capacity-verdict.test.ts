import { describe, expect, it } from 'vitest';
import type { CapacityResult, CapacityStep } from '../../../src/load/capacity/capacity-result.js';
import { capacityShort, capacityVerdict } from '../../../src/load/capacity/capacity-verdict.js';

function step(rate: number, decision: CapacityStep['decision'], confidence: number): CapacityStep {
  return {
    rate,
    achievedRps: rate,
    repeats: 1,
    discardedRepeats: 0,
    durationSeconds: 5,
    requests: rate * 5,
    ok: rate * 5,
    errors: { requests: rate * 5, errors: 0, rate: 0, budget: 0.01, decision: 'pass', confidence: 1 },
    objectives: [],
    decision,
    confidence,
    agreement: 1,
    reason: decision,
  };
}

function search(steps: CapacityStep[], stoppedBy: CapacityResult['stoppedBy']): CapacityResult {
  return {
    slo: { expression: 'p99<100ms' },
    options: { minRate: 10 },
    capacity: null,
    confidence: null,
    firstFailure: Math.min(...steps.map((s) => s.rate)),
    status: 'none',
    stoppedBy,
    steps,
  } as unknown as CapacityResult;
}

describe('the capacity verdict when no rate met the SLO', () => {
  it('says none, and "< rate", when the lowest rate tried clearly failed', () => {
    const r = search([step(50, 'fail', 0.99), step(25, 'fail', 0.999)], 'min-rate');
    expect(capacityVerdict(r)).toBe('capacity none: no rate down to 25 req/s met p99<100ms');
    expect(capacityShort(r)).toBe('< 25 req/s');
  });

  it('says unknown when the lowest rate was only unclear (the time budget ended the search on a busy machine)', () => {
    // The demo on a loaded machine: 50 req/s p99 80 ms (82.7 %), 25 req/s p99 81 ms (44.3 %).
    const r = search([step(50, 'unclear', 0.827), step(25, 'unclear', 0.443)], 'max-time');
    expect(capacityVerdict(r)).toBe(
      'capacity unknown: 25 req/s, the lowest rate tried, could be shown neither to meet p99<100ms nor to miss it (the time budget ended the search); give the search more time (--max-time) or a quieter machine',
    );
    expect(capacityShort(r)).toBe('unknown');
  });
});
