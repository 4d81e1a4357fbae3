import picocolors from 'picocolors';
import { describe, expect, it } from 'vitest';
import { renderScenarioSummary } from '../../../src/cli/output/scenario-summary.js';
import type { ScenarioResult } from '../../../src/load/index.js';

const plain = picocolors.createColors(false);
const latency = { count: 9, min: 1, mean: 2, p50: 2, p90: 3, p95: 3, p99: 4, p999: 4, max: 5 };
/** Rates as the engine computes them: 9 of 14 flows and requests succeeded. */
const rate = (9 / 14) * 100;

/** A run with the figures the summary reads. */
function result(): ScenarioResult {
  return {
    model: 'closed',
    interrupted: false,
    options: { vus: 2, iterations: 14, durationMs: null },
    scenario: { name: 'shop', file: 'shop.yaml' },
    flows: [
      { name: 'buy', started: 14, ok: 9, failed: 5, successRate: rate, okPerSecond: 3, duration: latency },
    ],
    steps: [
      {
        name: 'login',
        method: 'POST',
        requests: 14,
        ok: 9,
        failed: 5,
        errorRate: 100 - rate,
        latency,
        failures: {},
        examples: [],
      },
    ],
    totals: {
      flows: { started: 14, successRate: rate, okPerSecond: 3 },
      requests: { total: 14, rps: 4, errorRate: 100 - rate },
    },
    vus: { created: 2, peakBusy: 2 },
    queued: 0,
    unstarted: 0,
    generator: {
      utilization: 0.1,
      cpuCores: 2,
      eventLoopLag: { p99: 1 },
      ownDelay: null,
      saturated: false,
      reasons: [],
    },
    signals: undefined,
    recommendations: [],
    thresholds: [
      { expression: 'errors<0.1%', unit: '%', actual: 100 - rate, pass: false, source: 'default' },
    ],
    status: 'threshold-failed',
  } as unknown as ScenarioResult;
}

describe('renderScenarioSummary', () => {
  it('formats rates with the shared formatter (64.3%, not 64.28571428571429%)', () => {
    const text = renderScenarioSummary(result(), plain);
    expect(text).toMatch(/\b64\.3%/);
    expect(text).toMatch(/5 \(35\.7%\)/);
    expect(text).toContain('64.3% succeeded');
    expect(text).toContain('35.7% failed');
    expect(text).toMatch(/errors<0\.1%\s+35\.7%/);
    expect(text).not.toMatch(/\d\.\d{4,}%/);
  });
});
