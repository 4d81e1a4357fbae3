import { describe, expect, it } from 'vitest';
import type { CapacityResult, CapacityStep } from '../../../src/load/capacity/capacity-result.js';
import { capacityShort, capacityVerdict } from '../../../src/load/capacity/capacity-verdict.js';
import { saturatedHost } from '../../../src/load/capacity/find-capacity.js';

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

describe('the capacity verdict when the generator could not keep its schedule', () => {
  const stopped = (hostCpu?: CapacityStep['hostCpu']): CapacityResult =>
    ({
      ...search(
        [step(200, 'pass', 0.9995), { ...step(400, 'untrusted', 0), ...(hostCpu ? { hostCpu } : {}) }],
        'generator',
      ),
      status: 'generator-saturated',
      capacity: 200,
      confidence: 0.9995,
      firstFailure: null,
    }) as CapacityResult;

  it('says the machine was saturated, and by whom, when the database took the cores', () => {
    // The docs run: the database's seq scans took both cores of the 2-core machine at 400 req/s.
    const verdict = capacityVerdict(
      stopped({
        cpus: 2,
        busyPct: 98.5,
        runQueuePerCpu: 3.2,
        holders: [
          { who: 'database', cores: 1.45, sharePct: 73.6 },
          { who: 'app', cores: 0.3, sharePct: 15.2 },
          { who: 'generator', cores: 0.2, sharePct: 10.2 },
          { who: 'other', cores: 0.02, sharePct: 1 },
        ],
        unattributed: [],
      }),
    );
    expect(verdict).toMatch(
      /^capacity at least 200 req\/s \(p99<100ms met with >99\.9% confidence\): at 400 req\/s the machine was saturated/,
    );
    expect(verdict).toMatch(/2 CPUs 98\.5% busy; the database server held 1\.45 cores, 73\.6%/);
    expect(verdict).toMatch(/not because it is the limit/);
    expect(verdict).not.toMatch(/add --workers/);
  });

  it('says the generator competes for the cores when it holds them, and keeps the old words without host figures', () => {
    const own = capacityVerdict(
      stopped({
        cpus: 2,
        busyPct: 95,
        runQueuePerCpu: 2,
        holders: [
          { who: 'generator', cores: 1.2, sharePct: 63 },
          { who: 'other', cores: 0.7, sharePct: 37 },
        ],
        unattributed: ["the app's CPU (give --pid)"],
      }),
    );
    expect(own).toMatch(
      /the load generator itself held 1\.2 cores, 63%\): the generator competes with the target/,
    );
    expect(capacityVerdict(stopped())).toMatch(/the generator was saturated at 400 req\/s.*add --workers/);
  });
});

describe('the machine’s figures of a run the search leaves out', () => {
  const result = (busy: number, dbCpu?: number) =>
    ({
      generator: { cpuCores: 0.2 },
      signals: {
        intervalMs: 1000,
        host: {
          cpus: 2,
          notes: [],
          series: [1, 2, 3].map((second) => ({ second, busy, busyCores: busy * 2, running: 6, load1: 5 })),
        },
        db:
          dbCpu === undefined
            ? null
            : {
                series: [1, 2, 3].map((second) => ({ second, cpu: dbCpu })),
                cpu: { local: true, postmasterPid: 1 },
              },
        process: null,
        metrics: null,
      },
    }) as unknown as Parameters<typeof saturatedHost>[0];

  it('holds who held a saturated machine, the largest first', () => {
    const h = saturatedHost(result(0.98, 1.5));
    expect(h).toMatchObject({ cpus: 2, busyPct: 98, runQueuePerCpu: 3 });
    expect(h!.holders[0]).toEqual({ who: 'database', cores: 1.5, sharePct: 76.5 });
    expect(h!.unattributed.join()).toMatch(/app's CPU/);
  });

  it('is undefined on a machine with room, or without its figures', () => {
    expect(saturatedHost(result(0.6, 1.1))).toBeUndefined();
    expect(
      saturatedHost({ generator: { cpuCores: 1 }, signals: null } as unknown as Parameters<
        typeof saturatedHost
      >[0]),
    ).toBeUndefined();
  });
});
