import { afterEach, describe, expect, it } from 'vitest';
import { describeExamples, runScenario, type ScenarioInput } from '../../../src/load/index.js';
import { type FlowServer, startFlowServer } from '../../support/flow-server.js';
import { freePort, startDelayServer, startHttpServer } from '../../support/load-servers.js';

const users = Array.from({ length: 6 }, (_, i) => ({ email: `u${i}@example.com` }));

/** Log in once per user, then create an item and fetch it by the id the server gave. */
function shop(url: string, extra: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    baseUrl: url,
    headers: { authorization: 'Bearer {{token}}' },
    data: { user: { rows: users, scope: 'vu' } },
    setup: [
      {
        name: 'login',
        method: 'POST',
        url: '/login',
        json: { email: '{{user.email}}' },
        extract: { token: { json: '/token' } },
      },
    ],
    flows: [
      {
        name: 'create',
        weight: 3,
        steps: [
          {
            name: 'post',
            method: 'POST',
            url: '/items',
            json: { name: 'item-{{$vu}}-{{$iteration}}' },
            check: { status: 201, has: ['/id'] },
            extract: { id: { json: '/id' }, location: { header: 'Location' } },
          },
          {
            name: 'get',
            url: '{{location}}',
            check: { status: 200, json: { '/id': '{{id}}', '/owner': '{{user.email}}' } },
          },
        ],
      },
      {
        name: 'health',
        weight: 1,
        steps: [{ name: 'check', url: '/health', check: { json: { '/ok': true } } }],
      },
    ],
    ...extra,
  };
}

describe.sequential('runScenario against a loopback flow server', () => {
  let server: FlowServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('closed model: counts per step and flow match what the server saw; extracted ids are used later', async () => {
    server = await startFlowServer();
    const r = await runScenario({ scenario: shop(server.url), vus: 4, iterations: 200, timeout: '5s' });
    const c = server.counts;
    expect(r.model).toBe('closed');
    // One login per user, each with its own row.
    expect([...c.logins.entries()].sort()).toEqual(users.slice(0, 4).map((u) => [u.email, 1]));
    const create = r.flows.find((f) => f.name === 'create')!;
    const health = r.flows.find((f) => f.name === 'health')!;
    expect(create.started + health.started).toBe(200);
    expect(create.ok).toBe(create.started);
    expect(create.ok).toBe(c.items.size);
    // Every created item was fetched exactly once, through the id extracted from its own response.
    expect([...c.fetches.values()].every((n) => n === 1)).toBe(true);
    expect(c.fetches.size).toBe(c.items.size);
    // The failing check is counted: every health flow failed at its step.
    expect(health.ok).toBe(0);
    expect(health.failedAt).toEqual({ check: health.started });
    const step = (name: string) => r.steps.find((s) => s.name === name)!;
    expect(step('health.check').failures).toEqual({ checkFailed: health.started });
    expect(step('health.check').examples[0]).toContain('/ok is false, expected true');
    expect(step('create.post')).toMatchObject({
      requests: create.started,
      ok: create.started,
      statusCodes: { '201': create.started },
    });
    expect(step('create.get').latency.count).toBe(create.started);
    expect(step('setup.login')).toMatchObject({ requests: 4, ok: 4 });
    expect(r.totals.requests.total).toBe(2 * create.started + health.started);
    expect(r.totals.requests.total + 4).toBe(c.requests);
    expect(c.unauthorized).toBe(0);
    expect(r.totals.flows.successRate).toBeCloseTo((create.ok / 200) * 100, 2);
    // The failed health checks spend more than the default error budget: the verdict says so.
    expect(r.thresholds).toMatchObject([{ expression: 'errors<0.1%', source: 'default', pass: false }]);
    expect(r.status).toBe('threshold-failed');
  });

  it('thresholds per flow and step fail the run; a flow that never succeeds is no-success', async () => {
    server = await startFlowServer();
    const r = await runScenario({
      scenario: shop(server.url),
      vus: 2,
      iterations: 40,
      thresholds: ['health:errors<1%', 'create.post:errors<1%', 'create:p99<10s'],
    });
    expect(r.thresholds.map((t) => [t.expression, t.pass])).toEqual([
      ['health:errors<1%', false],
      ['create.post:errors<1%', true],
      ['create:p99<10s', true],
    ]);
    expect(r.status).toBe('threshold-failed');
    const only = await runScenario({
      scenario: { ...shop(server.url), flows: shop(server.url).flows.slice(1) },
      vus: 1,
      iterations: 5,
    });
    expect(only.status).toBe('no-success');
  });

  it('open model: flows start on schedule, per-VU setup, shared sequential feeder rows', async () => {
    server = await startFlowServer();
    const r = await runScenario({
      scenario: shop(server.url, { flows: shop(server.url).flows.slice(0, 1) }),
      rate: 50,
      duration: '1s',
      vus: 2,
    });
    expect(r.model).toBe('open');
    expect(r.latencyCorrected).toBe(true);
    const create = r.flows[0]!;
    expect(create.started).toBeGreaterThanOrEqual(45);
    expect(create.started).toBeLessThanOrEqual(50);
    expect(create.ok).toBe(create.started);
    expect(server.counts.items.size).toBe(create.ok);
    // Users created on demand log in too, each with the next row.
    expect(server.counts.logins.size).toBe(Math.min(r.vus.created, users.length));
  });

  it('a server that never answers: each request times out once, the next flow gets a new connection', async () => {
    const silent = await startHttpServer(() => {});
    try {
      const r = await runScenario({
        scenario: { baseUrl: silent.url, flows: [{ name: 'a', steps: [{ name: 'b', url: '/' }] }] },
        vus: 2,
        iterations: 4,
        timeout: '200ms',
      });
      expect(r.steps[0]!.failures).toEqual({ timeout: 4 });
      expect(silent.requests).toBe(4);
    } finally {
      await silent.close();
    }
  });

  it('open model at the user cap: arrivals wait (corrected duration) and those left at the end are unstarted', async () => {
    const slow = await startDelayServer(100);
    try {
      const r = await runScenario({
        scenario: { baseUrl: slow.url, flows: [{ name: 'a', steps: [{ name: 'b', url: '/' }] }] },
        rate: 50,
        duration: '500ms',
        vus: 1,
        maxVus: 1,
      });
      const flow = r.flows[0]!;
      // 25 arrivals in 500 ms; one user serves one every 100 ms.
      expect(flow.started + r.unstarted).toBe(25);
      expect(r.unstarted).toBeGreaterThan(0);
      expect(r.queued).toBeGreaterThanOrEqual(r.unstarted);
      expect(flow.ok).toBe(flow.started);
      expect(slow.requests).toBe(flow.started);
      // Waiting is part of the duration: the last flows waited for the one user.
      expect(flow.duration.max).toBeGreaterThan(2 * 100);
    } finally {
      await slow.close();
    }
  });

  it('a login that fails for one user: its failed setups spend the default error budget (not a PASS at 0 %)', async () => {
    server = await startFlowServer();
    // The check fails the setup of u1 only (its token is t-u1@…): its flows all fail at setup.
    // (Only the create flow: the flow server's health check fails now and then by design.)
    const scenario = { ...shop(server.url), flows: shop(server.url).flows.slice(0, 1) };
    scenario.setup = [{ ...scenario.setup![0]!, check: { bodyIncludes: 'u0@' } }];
    const r = await runScenario({
      scenario: { ...scenario, data: { user: { rows: users.slice(0, 2), scope: 'vu' } } },
      vus: 2,
      iterations: 40,
    });
    expect(r.steps.find((s) => s.name === 'setup.login')!.failures).toMatchObject({
      checkFailed: expect.any(Number),
    });
    expect(r.totals.flows.ok).toBeGreaterThan(0);
    expect(r.totals.flows.failed).toBeGreaterThan(0);
    // Every flow request succeeded; the setup requests did not.
    expect(
      r.totals.requests.failed,
      JSON.stringify(r.steps.map((s) => [s.name, s.failures, s.examples])),
    ).toBe(0);
    const budget = r.thresholds.find((t) => t.source === 'default')!;
    expect(budget).toMatchObject({ expression: 'errors<0.1%', pass: false });
    expect(budget.actual).toBeGreaterThan(0);
    expect(r.status).toBe('threshold-failed');
  });

  it('a server that is not there: refused, counted, no success', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = await runScenario({
      scenario: { baseUrl: url, flows: [{ name: 'a', steps: [{ name: 'b', url: '/' }] }] },
      vus: 2,
      iterations: 10,
    });
    expect(r.steps[0]!.failures).toEqual({ refused: 10 });
    expect(r.totals.flows).toMatchObject({ ok: 0, failed: 10 });
    expect(r.status).toBe('no-success');
  });

  it('a rate limiter answering every other request with 429: the finding names its headers; one example, counted', async () => {
    // Odd requests get 429 with the headers a limiter sends, even ones 200: half of 40 by construction.
    const limiter = await startHttpServer((_req, res, n) => {
      if (n % 2 === 0) {
        res.end('{"ok":true}');
        return;
      }
      res.writeHead(429, { 'retry-after': '7', 'ratelimit-limit': '100', 'ratelimit-remaining': '0' });
      res.end('{"error":"too many requests"}');
    });
    try {
      const r = await runScenario({
        scenario: { baseUrl: limiter.url, flows: [{ name: 'a', steps: [{ name: 'b', url: '/' }] }] },
        vus: 1,
        iterations: 40,
      });
      const step = r.steps[0]!;
      expect(limiter.requests).toBe(40);
      expect(step.failures).toEqual({ rateLimited: 20 });
      // The same message twenty times is one example with its count, not three copies.
      expect(step.examples).toEqual(['status 429, expected < 400']);
      expect(step.exampleCounts).toEqual({ 'status 429, expected < 400': 20 });
      expect(describeExamples(step)).toBe('status 429, expected < 400 (×20)');
      const finding = r.recommendations.find((x) => x.id === 'rate-limited')!;
      expect(finding.message).toContain('20 of 40 requests (50%) were refused with 429');
      expect(finding.message).toContain('Retry-After: 7');
      expect(finding.message).toContain('RateLimit-Limit: 100');
      expect(finding.message).toContain('RATE_LIMIT_MAX');
      expect(finding.evidence).toMatchObject({ rateLimited: 20, requests: 40, 'retry-after': '7' });
    } finally {
      await limiter.close();
    }
  });

  it('a flow with no 429: no rate-limit finding', async () => {
    server = await startFlowServer();
    const r = await runScenario({ scenario: shop(server.url), vus: 2, iterations: 20, timeout: '5s' });
    expect(r.recommendations.map((x) => x.id)).not.toContain('rate-limited');
  });
});
