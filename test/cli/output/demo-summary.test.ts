import picocolors from 'picocolors';
import { describe, expect, it } from 'vitest';
import { renderDemoSummary } from '../../../src/cli/output/demo-summary.js';
import type { DemoResult } from '../../../src/demo/index.js';

const plain = picocolors.createColors(false);
const latency = { count: 10, min: 1, mean: 2, p50: 2, p90: 3, p95: 3, p99: 4, p999: 4, max: 5 };

/** A run with the figures the summary reads; `rate` is the error percentage as the engine computes it. */
function run(label: string, rate: number) {
  return {
    label,
    result: {
      latency: { corrected: latency, service: latency },
      throughput: { rps: 50 },
      errors: { total: 5, rate },
      endpoints: [],
      bottlenecks: [],
      generator: { saturated: false },
    },
  };
}

describe('renderDemoSummary', () => {
  it('formats error rates with the shared formatter (35.7%, not 35.7143%)', () => {
    const demo = {
      framework: 'fastify',
      database: { kind: 'pglite' },
      seed: { rows: 1000 },
      durationMs: 60_000,
      dir: '/tmp/demo',
      session: { authenticated: false, note: 'no auth' },
      before: run('before', (5 / 14) * 100),
      after: run('after', 0),
      p99Target: 100,
      capacityBefore: { result: { status: 'found', capacity: 100, confidence: 0.99 } },
      capacityAfter: { result: { status: 'found', capacity: 100, confidence: 0.99 } },
      planted: { check: 'slow-query', title: 'planted' },
      plantedByLoad: null,
      analysis: { capabilities: { pgStatStatements: { available: true } } },
      fix: { applied: [] },
    } as unknown as DemoResult;
    const text = renderDemoSummary(demo, '/tmp/demo/report.html', plain);
    expect(text).toMatch(/errors\s+35\.7%\s+0%/);
    expect(text).not.toContain('35.714');
  });
});
