import picocolors from 'picocolors';
import { describe, expect, it } from 'vitest';
import { renderCapacitySummary } from '../../../src/cli/output/capacity-summary.js';
import type { CapacityResult, CapacityStep } from '../../../src/load/index.js';
import { parseCapacitySlo } from '../../../src/load/index.js';

const plain = picocolors.createColors(false);

function step(
  rate: number,
  decision: CapacityStep['decision'],
  value: number,
  confidence: number,
): CapacityStep {
  return {
    rate,
    achievedRps: rate,
    repeats: decision === 'untrusted' ? 0 : 2,
    discardedRepeats: decision === 'untrusted' ? 3 : 0,
    durationSeconds: 4,
    requests: rate * 4,
    ok: rate * 4,
    errors: { requests: rate * 4, errors: 0, rate: 0, budget: 0.1, decision: 'pass', confidence: 1 },
    objectives:
      decision === 'untrusted'
        ? []
        : [
            {
              expression: 'p99<100ms',
              percentile: 99,
              limit: 100,
              value,
              low: value * 0.8,
              high: decision === 'pass' ? null : value * 1.3,
              samples: rate * 4,
              beyond: decision === 'pass' ? 0 : 20,
              decision: decision === 'pass' ? 'pass' : decision === 'fail' ? 'fail' : 'unclear',
              confidence,
            },
          ],
    decision,
    confidence,
    agreement: 1,
    reason: decision === 'pass' ? 'met' : decision === 'fail' ? 'p99<100ms not met' : 'too close to call',
  };
}

function result(over: Partial<CapacityResult>): CapacityResult {
  return {
    schema: 'tenon.load.capacity/v1',
    tool: { name: 'tenon', version: '0.1.0' },
    startedAt: '2026-12-06T01:00:00.000Z',
    durationSeconds: 30,
    slo: parseCapacitySlo('p99<100ms'),
    method: {
      search: 'doubling from startRate (halving when it fails), then bisection',
      test: 'exact binomial test of the share of samples beyond each latency limit; error rate against the budget',
      confidence: 0.95,
      minRepeats: 2,
      maxRepeats: 5,
      precision: 0.1,
    },
    options: {
      urls: ['http://127.0.0.1:3000/'],
      maxRate: 400,
      minRate: 1.5,
      startRate: 25,
      stepDurationMs: 5000,
      maxStepDurationMs: 20000,
      warmupMs: 500,
      pauseMs: 1000,
      maxTimeMs: 600000,
    },
    capacity: 100,
    confidence: 0.987,
    firstFailure: 110,
    status: 'found',
    stoppedBy: 'precision',
    steps: [step(200, 'fail', 900, 1), step(100, 'pass', 20, 0.987), step(110, 'unclear', 95, 0.6)],
    interrupted: false,
    ...over,
  };
}

describe('renderCapacitySummary', () => {
  it('lists the rates in order with the percentile, its interval, the decision and its confidence', () => {
    const text = renderCapacitySummary(result({}), plain);
    const rows = text.split('\n').filter((l) => /^\s*\d+ req\/s/.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/)[0])).toEqual(['100', '110', '200']);
    expect(rows[0]).toMatch(/20\.0 ms \(16\.0 ms–\?\)\s+0%\s+met\s+98\.7%/);
    expect(rows[1]).toMatch(/unclear\s+60\.0%\s+too close to call/);
    expect(rows[2]).toMatch(/not met\s+>99\.9%\s+p99<100ms not met/);
    expect(text).toContain(
      'capacity 100 req/s (p99<100ms met with 98.7% confidence; 110 req/s could not be shown to meet it)',
    );
  });

  it('shows an error rate with the shared formatter, not raw floating point', () => {
    const failing = step(200, 'fail', 900, 1);
    failing.errors = { ...failing.errors, errors: 25, rate: (25 / 70) * 100, decision: 'fail' };
    const text = renderCapacitySummary(result({ steps: [failing] }), plain);
    expect(text).toMatch(/200 req\/s.*\s35\.7%\s/);
    expect(text).not.toContain('35.714');
  });

  it('says when the generator, not the target, ended the search', () => {
    const text = renderCapacitySummary(
      result({
        status: 'generator-saturated',
        stoppedBy: 'generator',
        firstFailure: null,
        steps: [step(100, 'pass', 20, 0.987), step(200, 'untrusted', 0, 0)],
      }),
      plain,
    );
    expect(text).toMatch(/200 req\/s\s+–\s+0 \(\+3 dropped\)\s+–\s+–\s+untrusted\s+–/);
    expect(text).toContain('capacity at least 100 req/s');
    expect(text).toContain('the generator was saturated at 200 req/s');
  });
});
