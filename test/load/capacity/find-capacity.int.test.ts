import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTenonError } from '../../../src/core/errors.js';
import { type CapacityOptions, findCapacity } from '../../../src/load/index.js';
import { startCapacityServer, startHttpServer, type TestServer } from '../../support/load-servers.js';

/** The known capacity of the test server, req/s (20 ms of service per request, one at a time). */
const CAPACITY = 50;

// Short runs keep the file to a few seconds of load; the SLO is p90 so that a run of half a second
// holds enough samples to decide (p99 needs ~300). 100 ms is 5 service times: far above the
// latency under capacity (20–30 ms), reached within the runs soon above it.
const quick = {
  slo: 'p90<100ms',
  stepDuration: 500,
  warmup: 300,
  pause: 100,
  workers: 1,
  timeout: 3000,
  // Generous: these tests are about the search, not the generator on a busy machine.
  maxLateness: '10ms',
} satisfies Partial<CapacityOptions>;

describe('findCapacity', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startCapacityServer(CAPACITY);
  });
  afterAll(() => server.close());

  it('lands within 25 % of a capacity known by construction, with the confidence stated', async () => {
    const events: string[] = [];
    const r = await findCapacity({
      ...quick,
      urls: [server.url],
      maxRate: 80,
      startRate: 40,
      precision: 0.25,
      onEvent: (e) => events.push(e.type),
    });
    expect(r.schema).toBe('tenon.load.capacity/v1');
    expect(r.status).toBe('found');
    expect(r.capacity).toBeGreaterThanOrEqual(CAPACITY * 0.75);
    expect(r.capacity).toBeLessThanOrEqual(CAPACITY * 1.25);
    expect(r.firstFailure).toBeGreaterThan(r.capacity!);
    expect(r.confidence).toBeGreaterThanOrEqual(0.95);
    // Every rate met was run at least twice and the decisive rates agree with the search's bracket.
    for (const step of r.steps) {
      if (step.decision === 'pass') {
        expect(step.rate).toBeLessThanOrEqual(r.capacity!);
        expect(step.repeats).toBeGreaterThanOrEqual(2);
        expect(step.confidence).toBeGreaterThanOrEqual(0.95);
      } else {
        expect(step.rate).toBeGreaterThanOrEqual(r.firstFailure!);
      }
    }
    // Above capacity the percentile is clearly over the limit, with its interval above it too.
    const overloaded = r.steps.reduce((a, b) => (b.rate > a.rate ? b : a));
    expect(overloaded.rate).toBeGreaterThanOrEqual(CAPACITY * 1.2);
    expect(overloaded.decision).toBe('fail');
    expect(overloaded.objectives[0]!.low).toBeGreaterThan(100);
    expect(events).toContain('repeat-start');
    expect(events).toContain('step-done');
  });

  it('reports no capacity when nothing meets the SLO, rather than a fake one', async () => {
    const failing = await startHttpServer((_req, res) => {
      res.writeHead(500);
      res.end();
    });
    try {
      const r = await findCapacity({
        ...quick,
        urls: [failing.url],
        maxRate: 40,
        startRate: 20,
        minRate: 20,
        // One run is enough to show it; the decision rule is the same.
        minRepeats: 1,
      });
      expect(r.status).toBe('none');
      expect(r.capacity).toBeNull();
      expect(r.steps).toHaveLength(1);
      expect(r.steps[0]).toMatchObject({ decision: 'fail', reason: 'no request succeeded' });
    } finally {
      await failing.close();
    }
  });

  it('refuses a bad SLO or rates before sending anything', async () => {
    const codes = async (options: CapacityOptions) =>
      findCapacity(options).then(
        () => 'resolved',
        (e: unknown) => (isTenonError(e) ? e.code : String(e)),
      );
    expect(await codes({ urls: [server.url], slo: 'rps>100', maxRate: 100 })).toBe('TENON_LOAD_SLO_INVALID');
    expect(await codes({ urls: [server.url], slo: 'p99<1s', maxRate: -1 })).toBe(
      'TENON_LOAD_CAPACITY_INVALID',
    );
    expect(await codes({ urls: [server.url], slo: 'p99<1s', maxRate: 10, startRate: 20 })).toBe(
      'TENON_LOAD_CAPACITY_INVALID',
    );
    expect(await codes({ urls: ['ftp://x/'], slo: 'p99<1s', maxRate: 10 })).toBe('TENON_LOAD_URL_INVALID');
    expect(server.requests).toBeGreaterThan(0); // from the first test only
  });
});
