import { describe, expect, it } from 'vitest';
import type { ServerSignals } from '../../src/core/signals/server-signals.js';
import type { DistributionBucket } from '../../src/load/histogram-summary.js';
import { findBimodal, recommend } from '../../src/load/recommendations.js';
import { hostOnlySignals } from '../support/host-signals.js';

function buckets(counts: number[]): DistributionBucket[] {
  return counts.map((count, k) => ({ fromMs: 10 ** (k / 10), toMs: 10 ** ((k + 1) / 10), count }));
}

describe('findBimodal', () => {
  it('finds a second hump far above the first', () => {
    // Most requests around 1–2 ms, 10% around 100 ms, nothing between.
    const counts = [0, 100, 800, 3000, 900, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 300, 80, 0];
    const found = findBimodal(buckets(counts));
    expect(found).toBeDefined();
    expect(found!.fast.count).toBe(3000);
    expect(found!.slow.count).toBe(300);
    expect(found!.slowShare).toBeCloseTo(480 / counts.reduce((a, b) => a + b, 0), 5);
  });

  it('does not see two modes in one wide hump, a tiny tail, or too few samples', () => {
    expect(
      findBimodal(buckets([10, 100, 400, 900, 1200, 900, 600, 400, 300, 200, 100, 50, 20])),
    ).toBeUndefined();
    expect(findBimodal(buckets([0, 1000, 3000, 1000, 0, 0, 0, 0, 0, 0, 3]))).toBeUndefined();
    expect(findBimodal(buckets([0, 10, 30, 0, 0, 0, 0, 0, 0, 20]))).toBeUndefined();
  });
});

/**
 * The figures `recommend` reads of a clean closed-model run over two URLs whose corrected medians
 * are `fastMs` and `slowMs` (the rest of a result is not read for this finding).
 */
function twoEndpoints(fastMs: number, slowMs: number): Parameters<typeof recommend>[0] {
  const latency = (p50: number) => ({
    count: 100,
    mean: p50,
    min: p50,
    p50,
    p90: p50,
    p95: p50,
    p99: p50 * 2,
  });
  const endpoint = (name: string, p50: number) => ({
    name,
    latency: { corrected: latency(p50), service: latency(p50) },
  });
  return {
    model: 'closed',
    requests: { total: 200, ok: 200 },
    errors: {
      total: 0,
      byCategory: { refused: 0, reset: 0, connectTimeout: 0, rateLimited: 0, timeout: 0 },
      rateLimitHeaders: {},
    },
    statusCodes: { '200': 200 },
    generator: { saturated: false, reasons: [], perWorker: [], eventLoopLag: { p99: 1, max: 1 } },
    options: { connections: 4, urls: ['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b'], timeoutMs: 5000 },
    schedule: null,
    series: [],
    distribution: { buckets: [] },
    latency: { corrected: latency(fastMs), service: latency(fastMs) },
    endpoints: [endpoint('GET /a', fastMs), endpoint('GET /b', slowMs)],
  } as unknown as Parameters<typeof recommend>[0];
}

// The integration test judges this finding only on runs a busy machine did not starve; the rule itself, here.
describe('recommend: slow-endpoint', () => {
  it('names the URL whose median is at least 3× another one, with both medians', () => {
    const found = recommend(twoEndpoints(1.2, 31)).find((r) => r.id === 'slow-endpoint');
    expect(found?.evidence).toMatchObject({ slow: 'GET /b', slowP50Ms: 31, fast: 'GET /a', fastP50Ms: 1.2 });
    expect(found?.message).toMatch(/^GET \/b is 25\.8× slower at the median/);
  });

  it('says nothing under 3×, or when the medians differ by a millisecond or less', () => {
    expect(recommend(twoEndpoints(12, 30)).map((r) => r.id)).not.toContain('slow-endpoint');
    expect(recommend(twoEndpoints(0.1, 0.9)).map((r) => r.id)).not.toContain('slow-endpoint');
  });
});

/** A late open-model run whose worker was `busy` (0–1), on a machine at `hostBusy` (undefined: not read). */
function lateRun(busy: number): Parameters<typeof recommend>[0] {
  const base = twoEndpoints(1, 1) as unknown as Record<string, unknown>;
  return {
    ...base,
    model: 'open',
    generator: {
      saturated: true,
      reasons: ['12% of sends left more than 10 ms late'],
      perWorker: [{ utilization: busy }],
      eventLoopLag: { p99: 30, max: 50 },
      cpuCores: 0.3,
      ownDelay: { meanMs: 4, share: 40, tolerance: '20%' },
    },
  } as unknown as Parameters<typeof recommend>[0];
}

const hostAt = (busy: number) => hostOnlySignals(busy, { seconds: 5 });

describe('recommend: generator-saturated reads the machine', () => {
  const finding = (r: Parameters<typeof recommend>[0], s: ServerSignals | null) =>
    recommend(r, s).find((x) => x.id === 'generator-saturated');

  it('on a saturated machine, says the generator was starved and who held the CPUs', () => {
    const found = finding(lateRun(0.3), hostAt(0.97));
    expect(found?.message).toMatch(/machine was saturated \(2 CPUs 97% busy/);
    expect(found?.message).toMatch(/the load generator \(tenon\) 0\.3/);
    expect(found?.message).not.toMatch(/Add --workers/);
    expect(found?.evidence).toMatchObject({ hostBusyPct: 97, workerBusyPct: 30 });
  });

  it('with idle CPU and a busy worker, asks for more workers', () => {
    const found = finding(lateRun(0.95), hostAt(0.5));
    expect(found?.message).toMatch(/busy 95% of the time while the machine had idle CPU .*Add --workers/);
  });

  it('with idle CPU and an idle worker, puts the delay on the generator process, not on a lack of CPU', () => {
    const found = finding(lateRun(0.2), hostAt(0.4));
    expect(found?.message).toMatch(/not a lack of CPU/);
    expect(found?.message).not.toMatch(/Add --workers/);
  });

  it('without the machine’s figures, says they were not read', () => {
    expect(finding(lateRun(0.2), null)?.message).toMatch(/not read on this platform/);
  });
});
