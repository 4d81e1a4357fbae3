import { afterEach, describe, expect, it } from 'vitest';
import { type LoadOptions, type LoadResult, type MeasuredLatency, runLoad } from '../../src/load/index.js';
import { SPARE_CPU_PRESSURE, withCpuPressure } from '../support/cpu-pressure.js';
import {
  freePort,
  startChunkedServer,
  startCloseAfterServer,
  startDelayServer,
  startFreezeServer,
  startGarbageServer,
  startHttpServer,
  startResetServer,
  startSlowHeadersServer,
  startTruncatingServer,
  type TestServer,
} from '../support/load-servers.js';

// These tests generate load: run them one at a time, and keep each short (loopback only).
describe.sequential('runLoad against real local servers', () => {
  const servers: TestServer[] = [];
  const serve = async (started: Promise<TestServer>) => {
    const server = await started;
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const run = (options: LoadOptions) => runLoad({ workers: 1, timeout: '5s', ...options });

  it('closed model with --requests: exactly that many requests, as the server counts them', async () => {
    const server = await serve(startDelayServer(0));
    const r = await run({ urls: [server.url], requests: 500, connections: 8, workers: 2 });
    expect(r.model).toBe('closed');
    expect(r.latencyCorrected).toBe(false);
    expect(r.requests).toMatchObject({ total: 500, ok: 500, errors: 0, sent: 500, responses: 500 });
    expect(server.requests).toBe(500);
    expect(r.statusCodes).toEqual({ '200': 500 });
    expect(r.connections.opened).toBe(8);
    expect(r.recommendations.map((x) => x.id)).toContain('closed-model');
  });

  it('open model: the schedule sends rate × duration requests, warmup excluded from the figures', async () => {
    const server = await serve(startDelayServer(0));
    const r = await run({ urls: [server.url], rate: 300, duration: '1s', warmup: '300ms', workers: 2 });
    expect(r.model).toBe('open');
    expect(r.requests).toMatchObject({ total: 300, ok: 300, sent: 300 });
    expect(server.requests).toBe(300 + 90);
    expect(r.schedule).toMatchObject({ targetRps: 300, sendRate: 300 });
    // About one second, perhaps followed by the few answers that arrived after it.
    expect(r.series[0]!.second).toBeCloseTo(1, 1);
    expect(r.series.reduce((sum, p) => sum + p.requests, 0)).toBe(300);
    // Throughput is the successes over the measured time: the second, and the answers that came after it
    // (how late they come depends on the machine's load, so only the bounds the series gives are checked).
    const measuredSeconds = 300 / r.throughput.rps;
    expect(measuredSeconds).toBeGreaterThanOrEqual(0.999);
    expect(measuredSeconds).toBeLessThanOrEqual(r.series.length + 0.01);
  });

  it('measures a fixed server delay in both corrected and service latency', async () => {
    const server = await serve(startDelayServer(25));
    const { result: r, pressure } = await withCpuPressure(() =>
      run({ urls: [server.url], rate: 100, duration: '1s' }),
    );
    expect(r.requests.ok).toBe(100);
    for (const l of [r.latency.corrected, r.latency.service]) {
      // Node timers may fire a fraction of a millisecond early; nothing answers sooner than the delay.
      expect(l.p50).toBeGreaterThanOrEqual(24);
      expect(l.min).toBeGreaterThanOrEqual(24);
      // Close to the delay: a precision only CPUs to spare give (a contended machine read p50 48 ms).
      if (!r.generator.saturated && pressure < SPARE_CPU_PRESSURE)
        expect(l.p50, `cpu pressure ${pressure}`).toBeLessThan(40);
    }
  });

  it('corrected p99 against a server that freezes 200 ms every second matches the analytic 190 ms within 10%', async () => {
    const server = await serve(startFreezeServer(200, 1000));
    // 5 whole periods at a rate this machine sustains: 20% of arrivals land in a freeze and wait
    // 200 − phase ms, so P(latency > x) = (200 − x) / 1000 and p99 = 190 ms (plus ~1 ms of service).
    // The server and the generator share two cores with other test files. Whatever the machine does,
    // the correction never hides the freeze: late sends and late answers only add latency, so the
    // lower bounds hold on every run. The upper bounds are the measurement's precision, which only a
    // machine with CPUs to spare gives (at load average ~16 a run read p99 1.9 s, the generator
    // 'kept up' while the server in this process starved): they are judged on the first of up to
    // three runs that the generator trusted and whose CPU pressure stayed under SPARE_CPU_PRESSURE.
    const attempts: string[] = [];
    let judged: LoadResult | undefined;
    for (let attempt = 1; attempt <= 3 && !judged; attempt++) {
      const { result: r, pressure } = await withCpuPressure(() =>
        run({ urls: [server.url], rate: 400, duration: '5s' }),
      );
      const c = r.latency.corrected;
      attempts.push(
        `run ${attempt}: p90 ${c.p90} p99 ${c.p99} max ${c.max} saturated ${r.generator.saturated} cpu pressure ${pressure.toFixed(2)}`,
      );
      expect(r.requests.ok).toBe(2000);
      expect(c.p99, attempts.join('\n')).toBeGreaterThan(190 * 0.9);
      expect(c.p90, attempts.join('\n')).toBeGreaterThan(100 * 0.9);
      if (!r.generator.saturated && pressure < SPARE_CPU_PRESSURE) judged = r;
    }
    console.log(attempts.join('\n'));
    if (judged) {
      expect(judged.latency.corrected.p99, attempts.join('\n')).toBeLessThan(190 * 1.1);
      // p90 gets more room than p99, for a reason of the server's, not of the measurement: the ~80
      // requests that arrive in a freeze are all answered when it ends, in arrival order, so the one
      // at p90 (arrived 100 ms in) waits for ~40 answers before its own, and the one at p99 for ~4.
      // Quiet, those 40 answers took ~5 ms (p90 104–106 ms); with the other core running another test
      // file they took up to 16 ms while the CPU pressure stayed under the line (p90 115.8 ms in CI).
      expect(judged.latency.corrected.p90, attempts.join('\n')).toBeLessThan(100 * 1.2);
    }
  });

  it('with a connection cap, queueing shows in corrected latency but not in service latency', async () => {
    const server = await serve(startFreezeServer(200, 1000));
    const r = await run({ urls: [server.url], rate: 200, duration: '2s', connections: 4 });
    expect(r.requests.ok).toBe(400);
    // Analytic corrected p95: (200 − x) / 1000 = 0.05 → 150 ms. Only the 4 requests per freeze that
    // hold the connections wait in the server; everyone else waits in the generator's queue.
    expect(r.latency.corrected.p95).toBeGreaterThan(150 * 0.9);
    expect(r.latency.service.p95).toBeLessThan(r.latency.corrected.p95! / 2);
    expect(r.schedule!.queued).toBeGreaterThan(0);
    expect(r.connections.peakInUse).toBe(4);
    expect(r.recommendations.map((x) => x.id)).toContain('queueing');
  });

  it('closed model hides the freeze from p99 (coordinated omission), which the output says', async () => {
    const server = await serve(startFreezeServer(200, 1000));
    const r = await run({ urls: [server.url], connections: 4, duration: '2s' });
    expect(r.requests.ok).toBeGreaterThan(100);
    expect(r.latency.service.max).toBeGreaterThan(100);
    // Each connection waits out a freeze with one request, so at most 4 × 3 (the freezes a 2 s
    // window can touch) of the samples meet one: from 1200 requests on, fewer than 1 %, and p99
    // cannot show the freeze. A starved machine makes fewer requests (seen: p99 126 ms), and then
    // the freeze is rightly in the p99.
    if (r.requests.ok >= 1200)
      expect(r.latency.service.p99, `${r.requests.ok} requests`).toBeLessThan(190 / 2);
  });

  it('counts resets, never crashes, and reopens connections', async () => {
    const server = await serve(startResetServer());
    const r = await run({ urls: [server.url], requests: 50, connections: 2 });
    expect(r.requests.total).toBe(50);
    expect(r.errors.byCategory.reset).toBe(50);
    expect(r.requests.ok).toBe(0);
    expect(r.connections.opened).toBeGreaterThanOrEqual(50);
    expect(r.recommendations.map((x) => x.id)).toContain('connection-errors');
  });

  it('counts a response cut short as a reset', async () => {
    const server = await serve(startTruncatingServer());
    const r = await run({ urls: [server.url], requests: 20, connections: 2 });
    expect(r.errors.byCategory.reset).toBe(20);
  });

  it('counts garbage as invalid responses', async () => {
    const server = await serve(startGarbageServer());
    const r = await run({ urls: [server.url], requests: 30, connections: 3 });
    expect(r.errors.byCategory.invalidResponse).toBe(30);
    expect(r.errors.total).toBe(30);
  });

  it('reads chunked responses', async () => {
    const server = await serve(startChunkedServer(7));
    const r = await run({ urls: [server.url], requests: 200, connections: 4 });
    expect(r.requests).toMatchObject({ total: 200, ok: 200, errors: 0 });
  });

  it('follows Connection: close by reconnecting, without errors', async () => {
    const server = await serve(startCloseAfterServer(3));
    const r = await run({ urls: [server.url], requests: 99, connections: 2 });
    expect(r.requests).toMatchObject({ total: 99, ok: 99, errors: 0 });
    expect(server.requests).toBe(99);
    expect(r.connections.opened).toBeGreaterThanOrEqual(33);
  });

  it('times out slow headers, and reads them when the timeout allows', async () => {
    const server = await serve(startSlowHeadersServer(4));
    const slow = await run({ urls: [server.url], requests: 4, connections: 2, timeout: '60ms' });
    expect(slow.errors.byCategory.timeout).toBe(4);
    expect(slow.recommendations.map((x) => x.id)).toContain('timeouts');
    // ~50 bytes at 4 ms each: 0.2 s on a quiet machine. On a starved one each of the 50 interval ticks
    // can fire tens of ms late, so the patient timeout leaves room far beyond the nominal time.
    const patient = await run({ urls: [server.url], requests: 4, connections: 2, timeout: '20s' });
    expect(patient.requests).toMatchObject({ ok: 4, errors: 0 });
  });

  it('counts refused connections on a port where nothing listens, in both models', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const open = await run({ urls: [url], rate: 100, duration: '500ms' });
    expect(open.errors.byCategory.refused).toBe(50);
    expect(open.requests.total).toBe(50);
    const closed = await run({ urls: [url], requests: 10, connections: 2 });
    expect(closed.errors.byCategory.refused).toBe(10);
  });

  it('counts unexpected statuses, and honours --expect-status', async () => {
    const server = await serve(
      startHttpServer((_req, res, n) => {
        res.statusCode = n % 2 ? 200 : 503;
        res.end('x');
      }),
    );
    const r = await run({ urls: [server.url], requests: 100, connections: 1 });
    expect(r.statusCodes).toEqual({ '200': 50, '503': 50 });
    expect(r.errors.byCategory.serverError).toBe(50);
    expect(r.requests).toMatchObject({ total: 100, ok: 50, errors: 50 });
    expect(Object.keys(r.statusClasses)).toEqual(['2xx', '5xx']);
    expect(r.recommendations.map((x) => x.id)).toContain('server-errors');
    const only503 = await run({ urls: [server.url], requests: 10, connections: 1, expectStatus: [503] });
    expect(only503.requests.ok).toBe(5);
    // A 200 not expected is neither rate limiting nor a server error.
    expect(only503.errors.byCategory).toMatchObject({ unexpectedStatus: 5, serverError: 0, rateLimited: 0 });
  });

  it('sends the method, headers and body given', async () => {
    const seen: string[] = [];
    const server = await serve(
      startHttpServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        seen.push(`${req.method} ${req.url} ${req.headers.authorization} ${req.headers['content-type']}`);
        res.end();
      }, '/api/v1/orders?x=1'),
    );
    const r = await run({
      urls: [server.url],
      requests: 3,
      connections: 1,
      method: 'post',
      headers: { Authorization: 'Bearer t' },
      body: '{"productId":1}',
    });
    expect(r.requests.ok).toBe(3);
    expect(seen).toEqual(Array(3).fill('POST /api/v1/orders?x=1 Bearer t application/json'));
  });

  it('reads HEAD responses without a body', async () => {
    const server = await serve(startDelayServer(0));
    const r = await run({ urls: [server.url], requests: 50, connections: 2, method: 'HEAD' });
    expect(r.requests).toMatchObject({ ok: 50, errors: 0 });
  });

  it('splits the load evenly over several URLs and reports each side by side', async () => {
    const fast = await serve(startDelayServer(0));
    const slow = await serve(startDelayServer(30));
    const { result: r, pressure } = await withCpuPressure(() =>
      run({ urls: [fast.url, slow.url], rate: 200, duration: '1s' }),
    );
    expect(fast.requests).toBe(100);
    expect(slow.requests).toBe(100);
    expect(r.endpoints.map((e) => e.requests.ok)).toEqual([100, 100]);
    expect(r.endpoints[0]!.series.reduce((sum, p) => sum + p.requests, 0)).toBe(100);
    const [f, s] = r.endpoints.map((e) => e.latency.corrected) as [MeasuredLatency, MeasuredLatency];
    // By construction on any machine: the slow server never answers within 30 ms, and the two URLs'
    // requests alternate, so they share the generator's lateness and only the slow one adds 30 ms.
    expect(s.p50).toBeGreaterThan(25);
    expect(f.p50).toBeLessThan(s.p50);
    // How fast "fast" is, and so the 3× ratio the finding needs, holds only where the run was not
    // starved: on a machine whose CPUs were contended the same late sends (400 ms at the median, seen
    // at load average ~18) add to both medians. Judged when the generator trusted itself and the
    // CPU pressure stayed under SPARE_CPU_PRESSURE.
    if (!r.generator.saturated && pressure < SPARE_CPU_PRESSURE) {
      expect(f.p50, `cpu pressure ${pressure}`).toBeLessThan(10);
      expect(r.recommendations.map((x) => x.id)).toContain('slow-endpoint');
    }
  });

  it('ramps the arrival rate through stages', async () => {
    const server = await serve(startDelayServer(0));
    // 0 → 100 req/s over 1 s (50 requests), then 100 req/s for 1 s (100 requests).
    const r = await run({ urls: [server.url], stages: '1s:100,1s:100' });
    expect(r.requests.total).toBe(150);
    expect(server.requests).toBe(150);
    expect(r.series.filter((p) => p.targetRps !== undefined).map((p) => p.targetRps)).toEqual([50, 100]);
  });

  it('finds saturation when the rate ramps past what the server can serve', async () => {
    // One request at a time, 8 ms each: the server tops out at 125 req/s.
    let busyUntil = 0;
    const server = await serve(
      startHttpServer((_req, res) => {
        const now = performance.now();
        busyUntil = Math.max(busyUntil, now) + 8;
        setTimeout(() => res.end('ok'), busyUntil - now);
      }),
    );
    const r = await run({ urls: [server.url], stages: '6s:300', timeout: '20s' });
    const ids = r.recommendations.map((x) => x.id);
    expect(ids).toContain('saturation');
    const finding = r.recommendations.find((x) => x.id === 'saturation')!;
    expect(Number(finding.evidence.rpsTail)).toBeLessThan(140);
    expect(r.requests.ok).toBe(900);
  });

  it('ramps connections through stages in the closed model', async () => {
    const server = await serve(startDelayServer(5));
    const r = await run({ urls: [server.url], model: 'closed', stages: '500ms:4,500ms:4' });
    expect(r.requests.ok).toBeGreaterThan(100);
    expect(r.connections.opened).toBeLessThanOrEqual(5);
    expect(r.connections.peakInUse).toBeGreaterThanOrEqual(3);
  });

  it('stops early on abort and reports what it measured', async () => {
    const server = await serve(startDelayServer(0));
    const controller = new AbortController();
    let abortedAt = 0;
    // Abort once a second of measurement is in (worker start-up time varies on a busy machine).
    const events: string[] = [];
    const r = await runLoad({
      urls: [server.url],
      rate: 200,
      duration: '20s',
      workers: 1,
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e.type);
        if (e.type !== 'progress') return;
        abortedAt ||= Date.now();
        controller.abort();
      },
    });
    expect(events[0]).toBe('run-start');
    expect(events.slice(1)).toContain('progress');
    // Early: the full run is 20 s and 4000 requests. The bounds are far from both ends because how soon
    // the first progress event arrives, and how many requests a starved generator sent by then, depend
    // on this shared machine's load (not on the abort): a quiet run stops within a second of it with
    // ~200 requests.
    expect(Date.now() - abortedAt).toBeLessThan(10_000);
    expect(r.interrupted).toBe(true);
    expect(r.requests.total).toBeGreaterThan(0);
    expect(r.requests.total).toBeLessThan(2000);
    expect(r.errors.total).toBe(0);
  });
});
