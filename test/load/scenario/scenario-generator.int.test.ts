import { afterEach, describe, expect, it } from 'vitest';
import { runScenario, type ScenarioInput } from '../../../src/load/index.js';
import { SPARE_CPU_PRESSURE, withCpuPressure } from '../../support/cpu-pressure.js';
import { startDelayServer, type TestServer } from '../../support/load-servers.js';

/** One GET per flow; `blockMs` > 0 busy-waits that long on the runner's thread for every flow. */
function oneStep(url: string, blockMs = 0): ScenarioInput {
  return {
    baseUrl: url,
    flows: [
      {
        name: 'read',
        steps: [
          {
            name: 'get',
            url: () => {
              const until = performance.now() + blockMs;
              while (performance.now() < until);
              return '/';
            },
          },
        ],
      },
    ],
  };
}

describe.sequential('a scenario run watches its own generator', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a runner whose thread is blocked 40 ms of every 50 is marked saturated (exit 4 status), with its figures', async () => {
    server = await startDelayServer(5);
    const r = await runScenario({ scenario: oneStep(server.url, 40), rate: 20, duration: '3s' });
    expect(r.totals.flows.ok).toBeGreaterThan(20);
    expect(r.generator.saturated, JSON.stringify(r.generator)).toBe(true);
    // Named by its own delay over the tolerance, or by a loop too busy for the estimate to hold
    // (the server shares this thread here, so its answers queue behind the blocks as well).
    expect(r.generator.reasons.join('\n')).toMatch(
      /the generator's own delay is .* over the 20% tolerated|the runner's event loop was busy \d+% of the run/,
    );
    expect(r.generator.utilization).toBeGreaterThan(0.5);
    // Every default threshold passed: the run's verdict is the generator's.
    expect(r.thresholdsPassed).toBe(true);
    expect(r.status).toBe('generator-saturated');
    // A failed threshold still wins, and the generator's state is kept beside it.
    const strict = await runScenario({
      scenario: oneStep(server.url, 40),
      rate: 20,
      duration: '2s',
      thresholds: ['p50<1ms'],
    });
    expect(strict.generator.saturated).toBe(true);
    expect(strict.status).toBe('threshold-failed');
  });

  it('--max-lateness moves the line: a runner blocked 15 ms per flow at 10 flows/s fits under 99%', async () => {
    server = await startDelayServer(2);
    const { result: lenient, pressure } = await withCpuPressure(() =>
      runScenario({
        scenario: oneStep(server!.url, 15),
        rate: 10,
        duration: '2s',
        maxLateness: '99%',
      }),
    );
    expect(lenient.generator.ownDelay!.tolerance).toBe('99%');
    expect(lenient.generator.ownDelay!.meanMs).toBeGreaterThan(0);
    // On a starved machine (other processes held the CPUs) the runner may really be too late even for 99%.
    if (pressure < SPARE_CPU_PRESSURE)
      expect(
        lenient.generator.saturated,
        `cpu pressure ${pressure} ${JSON.stringify(lenient.generator)}`,
      ).toBe(false);
    // A tolerance below what was measured flags the same kind of run.
    const tight = await runScenario({
      scenario: oneStep(server.url, 15),
      rate: 10,
      duration: '2s',
      maxLateness: '0.01ms',
    });
    expect(tight.generator.saturated, JSON.stringify(tight.generator)).toBe(true);
    expect(tight.status).toBe('generator-saturated');
  });

  it('a runner with nothing to do but the flows keeps up at 10 flows/s (judged on a machine with CPUs to spare)', async () => {
    server = await startDelayServer(20);
    const { result: r, pressure } = await withCpuPressure(() =>
      runScenario({ scenario: oneStep(server!.url), rate: 10, duration: '3s' }),
    );
    expect(r.totals.flows.ok).toBe(30);
    // Every flow started on a free user: each start's delay was measured.
    expect(r.generator.startDelay!.count).toBe(30);
    expect(r.generator.ownDelay!.tolerance).toBe('20%');
    if (pressure < SPARE_CPU_PRESSURE)
      expect(r.generator.saturated, `cpu pressure ${pressure} ${JSON.stringify(r.generator)}`).toBe(false);
    // On Linux the machine's CPU is sampled each second, as in plain runs.
    if (process.platform === 'linux') expect(r.signals?.host?.series.length).toBeGreaterThanOrEqual(3);
  });

  it('the closed model has no schedule: nothing to judge, the figures still reported', async () => {
    server = await startDelayServer(1);
    const r = await runScenario({ scenario: oneStep(server.url), vus: 2, iterations: 20 });
    expect(r.generator.ownDelay).toBeNull();
    expect(r.generator.startDelay).toBeNull();
    expect(r.generator.saturated).toBe(false);
    expect(r.generator.utilization).toBeGreaterThan(0);
    expect(r.status).toBe('pass');
  });
});
