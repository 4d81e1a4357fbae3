import { describe, expect, it } from 'vitest';
import { isTenonError } from '../../../src/core/errors.js';
import type { ServerSignals } from '../../../src/core/signals/server-signals.js';
import { createBaseline, parseBaseline } from '../../../src/load/baseline/baseline-file.js';
import { compareToBaseline } from '../../../src/load/baseline/compare-baseline.js';
import type { RunHistograms } from '../../../src/load/baseline/run-histograms.js';
import { seededRandom } from '../../../src/load/baseline/seeded-random.js';
import { parseTolerances } from '../../../src/load/baseline/tolerance.js';
import { createTotalHistogram, type LatencyHistogram } from '../../../src/load/histogram.js';
import type { LoadResult } from '../../../src/load/load-result.js';
import { hostOnlySignals } from '../../support/host-signals.js';

/** n latencies of 5 ms + an exponential of mean `tailMs`, µs. */
function sample(n: number, seed: number, baseMs = 5, tailMs = 2): LatencyHistogram {
  const r = seededRandom(seed);
  const h = createTotalHistogram();
  for (let i = 0; i < n; i++) h.recordValue(Math.round(1000 * (baseMs - tailMs * Math.log(r()))));
  return h;
}

/** Signals with a local target that used `cores` cores every second (none: not sampled). */
function withLocalTarget(signals: ServerSignals, cores: number | undefined): ServerSignals {
  if (cores === undefined) return signals;
  const series = signals.host!.series.map((p) => ({ second: p.second, cores }));
  const processes = [
    { pid: 4242, name: 'node' },
    { pid: 4250, name: 'postgres' },
  ];
  return { ...signals, localTarget: { ports: [3000], processes, series, notes: [] } };
}

/** The parts of a LoadResult that baselines read, around a histogram (both latencies the same). */
function run(
  h: LatencyHistogram,
  options: { rate?: number; ok?: number; seconds?: number; machineBusy?: number; targetCores?: number } = {},
) {
  const seconds = options.seconds ?? 10;
  const ok = options.ok ?? h.totalCount;
  const figures = {
    requests: { total: ok, ok, errors: 0, sent: ok, responses: ok },
    throughput: { rps: ok / seconds, attemptedRps: ok / seconds, bytesPerSecond: 0 },
    errors: { total: 0, rate: 0, byCategory: { timeout: 0 } },
  };
  const result = {
    schema: 'tenon.load/v1',
    tool: { name: 'tenon', version: '0.1.0' },
    startedAt: '2026-12-06T00:00:00.000Z',
    durationSeconds: seconds,
    model: 'open',
    interrupted: false,
    generator: { saturated: false, cpuCores: 0.2 },
    signals:
      options.machineBusy === undefined
        ? null
        : withLocalTarget(hostOnlySignals(options.machineBusy, { running: 2, seconds }), options.targetCores),
    options: {
      urls: ['http://127.0.0.1:3000/a'],
      method: 'GET',
      rate: options.rate ?? 200,
      connections: 1024,
      durationMs: seconds * 1000,
      requests: null,
      stages: null,
      warmupMs: 0,
      workers: 1,
      expectStatus: [],
    },
    ...figures,
    endpoints: [{ name: 'GET /a', url: 'http://127.0.0.1:3000/a', method: 'GET', ...figures }],
  } as unknown as LoadResult;
  const histograms: RunHistograms = {
    corrected: h,
    service: h,
    endpoints: [{ corrected: h, service: h }],
  };
  return { result, histograms };
}

const saved = (r: ReturnType<typeof run>) =>
  parseBaseline(JSON.stringify(createBaseline(r.result, r.histograms)), 'base.json');

describe('compareToBaseline', () => {
  const base = run(sample(10_000, 1));

  it('calls a second sample of the same distribution unchanged, after a round trip through the file', () => {
    const current = run(sample(10_000, 2));
    const k = compareToBaseline(saved(base), current.result, current.histograms);
    expect(k.verdict).toBe('unchanged');
    expect(k.aggregate.metrics.map((m) => m.metric)).toEqual(['p50', 'p90', 'p99', 'p999', 'rps']);
    expect(k.warnings).toEqual([]);
    expect(k.endpoints).toEqual([]);
    expect(k.latency).toBe('corrected');
  });

  it('calls a slower run regressed, naming the figures, and a faster one improved', () => {
    const slower = run(sample(10_000, 3, 7, 3));
    const k = compareToBaseline(saved(base), slower.result, slower.histograms);
    expect(k.verdict).toBe('regressed');
    const p50 = k.aggregate.metrics.find((m) => m.metric === 'p50')!;
    expect(p50.clear).toBe(true);
    expect(p50.change).toBeGreaterThan(0.3);
    expect(p50.changeInterval[0]).toBeGreaterThan(0.1);
    expect(k.regressions.join('\n')).toContain('all p50 +');
    const faster = run(sample(10_000, 4, 3, 1));
    const f = compareToBaseline(saved(base), faster.result, faster.histograms);
    expect(f.verdict).toBe('improved');
    expect(f.improvements.length).toBeGreaterThan(0);
  });

  it('does not call a clear change within the tolerance a regression', () => {
    // 5 % slower with 200,000 samples: statistically clear, but under the 10 % default.
    const big = run(sample(200_000, 5));
    const slightly = run(sample(200_000, 6, 5.25, 2.1));
    const k = compareToBaseline(saved(big), slightly.result, slightly.histograms);
    const p50 = k.aggregate.metrics.find((m) => m.metric === 'p50')!;
    expect(p50.clear).toBe(true);
    expect(p50.verdict).toBe('unchanged');
    expect(k.verdict).toBe('unchanged');
    // With a 2 % tolerance it is one.
    const strict = compareToBaseline(saved(big), slightly.result, slightly.histograms, {
      tolerances: parseTolerances(['2%']),
    });
    expect(strict.verdict).toBe('regressed');
    // And an absolute floor above the change keeps it unchanged.
    const floor = compareToBaseline(saved(big), slightly.result, slightly.histograms, {
      tolerances: parseTolerances(['2%', '1ms']),
    });
    expect(floor.aggregate.metrics.find((m) => m.metric === 'p50')!.verdict).toBe('unchanged');
  });

  it('does not call a large change of a tiny sample a regression (not statistically clear)', () => {
    const few = run(sample(20, 7));
    const fewSlower = run(sample(20, 8, 6, 2.5));
    const k = compareToBaseline(saved(few), fewSlower.result, fewSlower.histograms);
    const p999 = k.aggregate.metrics.find((m) => m.metric === 'p999')!;
    expect(p999.changeInterval).toEqual([null, null]);
    expect(p999.verdict).toBe('unchanged');
  });

  it('judges throughput: fewer successes per second beyond the tolerance regress', () => {
    const h = sample(10_000, 9);
    const lower = run(h, { ok: 7_000 });
    const k = compareToBaseline(saved(run(h)), lower.result, lower.histograms);
    const rps = k.aggregate.metrics.find((m) => m.metric === 'rps')!;
    expect(rps.verdict).toBe('regressed');
    expect(rps.change).toBeCloseTo(-0.3, 3);
  });

  it('warns when the runs are not comparable', () => {
    const other = run(sample(10_000, 10), { rate: 500 });
    const k = compareToBaseline(saved(base), other.result, other.histograms);
    expect(k.warnings.join('\n')).toContain('rate (req/s) changed: 200 → 500');
  });

  it('warns when the machine was much busier (or saturated) in one of the runs, not when it was alike', () => {
    const h = sample(10_000, 11);
    const quiet = saved(run(h, { machineBusy: 0.3 }));
    // tenon's own 0.2 cores are not other load: 0.6 busy cores less 0.2 of 2 CPUs.
    expect(quiet.baseline.machine).toEqual({
      cpus: 2,
      busyPct: 30,
      runQueuePerCpu: 1,
      saturated: false,
      othersBusyPct: 20,
      discounted: ['tenon'],
    });
    const alike = run(h, { machineBusy: 0.4 });
    expect(compareToBaseline(quiet, alike.result, alike.histograms).warnings).toEqual([]);
    const busy = run(h, { machineBusy: 0.95 });
    expect(compareToBaseline(quiet, busy.result, busy.histograms).warnings).toEqual([
      "other processes kept the machine's CPUs 20% busy during the baseline and 85% during this run (30% and 95% in all, less tenon): latency differences may be the machine's, not the target's",
    ]);
    // A baseline saved before the run's own share was recorded: the whole busy share is compared.
    const older = saved(run(h, { machineBusy: 0.3 }));
    delete older.baseline.machine!.othersBusyPct;
    expect(compareToBaseline(older, busy.result, busy.histograms).warnings).toEqual([
      "the machine's CPUs were 30% busy during the baseline and 95% busy, saturated during this run: latency differences may be the machine's, not the target's",
    ]);
    // A baseline saved without the machine's figures (older files, other platforms) is compared without the warning.
    expect(compareToBaseline(saved(run(h)), busy.result, busy.histograms).warnings).toEqual([]);
  });

  it("does not take a local target's own CPU for other load on the machine", () => {
    const h = sample(10_000, 12);
    // Before an index fix: the target's sequential scans keep 1.5 of the 2 CPUs busy.
    const before = saved(run(h, { machineBusy: 0.95, targetCores: 1.5 }));
    expect(before.baseline.machine?.othersBusyPct).toBe(10);
    expect(before.baseline.machine?.discounted).toEqual([
      'tenon',
      'the processes listening on port 3000 and their children (node 4242, postgres 4250)',
    ]);
    // After it: the machine is quiet, because the target is.
    const after = run(h, { machineBusy: 0.3, targetCores: 0.1 });
    expect(compareToBaseline(before, after.result, after.histograms).warnings).toEqual([]);
    // Other load that came with the fix is still named.
    const loaded = run(h, { machineBusy: 0.9, targetCores: 0.1 });
    expect(compareToBaseline(before, loaded.result, loaded.histograms).warnings).toEqual([
      "other processes kept the machine's CPUs 10% busy during the baseline and 75% during this run (95% and 90% in all, less tenon, the processes listening on port 3000 and their children (node 4242, postgres 4250)): latency differences may be the machine's, not the target's",
    ]);
  });
});

describe('parseBaseline', () => {
  const good = JSON.stringify(createBaseline(run(sample(100, 1)).result, run(sample(100, 1)).histograms));

  it.each([
    ['not JSON', '{', /is not JSON/],
    [
      'another schema',
      JSON.stringify({ schema: 'tenon.load/v1' }),
      /not a tenon load baseline.*tenon\.load\/v1/,
    ],
    ['no schema', '[]', /not a tenon load baseline/],
    ['a missing key', good.replace('"durationSeconds"', '"durationSecs"'), /durationSeconds/],
    [
      'a corrupt histogram',
      good.replace(/"corrected":"[^"]+"/, '"corrected":"AAAA"'),
      /histogram histograms\.corrected is corrupt/,
    ],
  ])('refuses %s with TENON_LOAD_BASELINE_INVALID', (_what, text, message) => {
    try {
      parseBaseline(text, 'base.json');
      expect.unreachable();
    } catch (error) {
      expect(isTenonError(error, 'TENON_LOAD_BASELINE_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect((error as { hint?: string }).hint).toMatch(/--save-baseline/);
    }
  });

  it('reads back the histograms it wrote', () => {
    const loaded = parseBaseline(good, 'base.json');
    expect(loaded.histograms.corrected.totalCount).toBe(100);
    expect(loaded.histograms.endpoints).toHaveLength(1);
    expect(loaded.baseline.schema).toBe('tenon.load.baseline/v1');
  });
});
