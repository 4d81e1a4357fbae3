import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { type LoadOptions, type LoadResult, NO_LATENCY, runLoad } from '../../src/load/index.js';
import { runTenon } from '../support/cli.js';
import {
  freePort,
  startDelayServer,
  startHttpServer,
  startResetServer,
  startSlowHeadersServer,
  type TestServer,
} from '../support/load-servers.js';

const ids = (r: LoadResult) => r.recommendations.map((x) => x.id);
const check = (r: LoadResult, expression: string) => r.thresholds.find((t) => t.expression === expression);

/** 429 with the headers a rate limiter sends, except every `okEvery`-th request. */
function startRateLimitServer(okEvery: number): Promise<TestServer> {
  return startHttpServer((_req, res, n) => {
    if (n % okEvery === 0) {
      res.end('{"ok":true}');
      return;
    }
    res.writeHead(429, {
      'retry-after': '7',
      'ratelimit-limit': '100',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '7',
      'content-type': 'application/json',
    });
    res.end('{"error":"too many requests"}');
  });
}

// A verdict is never better than the run: these servers misbehave, and no run against them passes.
describe.sequential('load verdicts against misbehaving servers', () => {
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

  it('a refusing port fails with no thresholds given, in both models, with no latency or throughput to show', async () => {
    const url = `http://127.0.0.1:${await freePort()}/`;
    for (const r of [
      await run({ urls: [url], requests: 20, connections: 2 }),
      await run({ urls: [url], rate: 50, duration: '400ms' }),
    ]) {
      expect(r.status).toBe('threshold-failed');
      expect(r.thresholdsPassed).toBe(false);
      expect(check(r, 'errors<0.1%')).toMatchObject({ source: 'default', actual: 100, pass: false });
      expect(check(r, 'ok>0')).toMatchObject({ source: 'default', actual: 0, pass: false });
      expect(r.throughput.rps).toBe(0);
      expect(r.throughput.attemptedRps).toBeGreaterThan(0);
      // No latency was measured: no figure at all (a 0 ms p99 would read as a fast target).
      expect(r.latency.service).toEqual(NO_LATENCY);
      expect(r.latency.corrected).toEqual(NO_LATENCY);
      expect(r.endpoints[0]!.latency.corrected).toEqual(NO_LATENCY);
      // Refusals are fast, and reported apart from (absent) successful latency.
      expect(r.errors.latency.count).toBe(r.errors.total);
      // (This busy machine may also flag the generator: a finding of its own, not about the target.)
      const about = r.recommendations.filter((x) => x.id !== 'generator-saturated');
      expect(about.map((x) => x.id).slice(0, 2)).toEqual(['nothing-succeeded', 'connection-errors']);
      expect(about[1]!.message).toContain('nothing listens there');
      // Not "a connection limit": refused means no listener, and the advice says to look at the server.
      const limits = r.bottlenecks.find((b) => b.kind === 'limits');
      expect(limits?.message).toContain('nothing listened on the port');
      expect(limits?.message).not.toContain('connection limit');
      expect(limits?.dig.join('\n')).not.toContain('--expect-status');
    }
  });

  it('a latency threshold cannot pass on no successful response', async () => {
    const url = `http://127.0.0.1:${await freePort()}/`;
    const r = await run({
      urls: [url],
      requests: 10,
      connections: 1,
      thresholds: ['p99<1s', 'errors<100.1%'],
    });
    expect(r.thresholds.map((t) => [t.expression, t.actual, t.pass, t.reason])).toEqual([
      ['p99<1s', null, false, 'no successful response: no latency to judge'],
      ['errors<100.1%', 100, true, undefined],
      ['ok>0', 0, false, undefined],
    ]);
    expect(r.status).toBe('threshold-failed');
  });

  it('429s are their own category, with a finding naming the rate-limit headers and how to raise the limit', async () => {
    const server = await serve(startRateLimitServer(4));
    const r = await run({ urls: [server.url], requests: 200, connections: 2 });
    expect(r.errors.byCategory).toMatchObject({ rateLimited: 150, serverError: 0, unexpectedStatus: 0 });
    expect(r.requests).toMatchObject({ total: 200, ok: 50, errors: 150 });
    expect(r.errors.rateLimitHeaders).toEqual({
      'ratelimit-limit': '100',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '7',
      'retry-after': '7',
    });
    // Throughput counts the 50 successes; attempts are shown apart.
    expect(r.throughput.rps).toBeLessThan(r.throughput.attemptedRps);
    expect(r.throughput.rps / r.throughput.attemptedRps).toBeCloseTo(0.25, 2);
    expect(r.latency.service.count).toBe(50);
    expect(r.errors.latency.count).toBe(150);
    expect(r.status).toBe('threshold-failed');
    const finding = r.recommendations.find((x) => x.id === 'rate-limited')!;
    expect(finding.message).toContain('150 of 200 requests (75%)');
    expect(finding.message).toContain('Retry-After: 7');
    expect(finding.message).toContain('RateLimit-Limit: 100');
    expect(finding.message).toContain('RATE_LIMIT_MAX');
    expect(finding.evidence).toMatchObject({ rateLimited: 150, 'retry-after': '7' });
    // Testing the limiter itself: 429 expected, the run passes.
    const accepted = await run({
      urls: [server.url],
      requests: 40,
      connections: 1,
      expectStatus: [200, 429],
    });
    expect(accepted.status).toBe('pass');
  });

  it('5xx count as server errors; a budget given replaces the default one', async () => {
    const server = await serve(
      startHttpServer((_req, res, n) => {
        res.statusCode = n % 100 === 0 ? 500 : 200;
        res.end('x');
      }),
    );
    const r = await run({ urls: [server.url], requests: 400, connections: 1 });
    expect(r.errors.byCategory.serverError).toBe(4);
    expect(r.errors.rate).toBe(1);
    expect(check(r, 'errors<0.1%')!.pass).toBe(false);
    expect(ids(r)).toContain('server-errors');
    const lenient = await run({
      urls: [server.url],
      requests: 400,
      connections: 1,
      thresholds: ['errors<2%'],
    });
    expect(lenient.thresholds.map((t) => t.expression)).toEqual(['errors<2%', 'ok>0']);
    expect(lenient.status).toBe('pass');
  });

  it('a stalling server: timeouts fail the run and get their finding; resets likewise', async () => {
    const stall = await serve(startSlowHeadersServer(200));
    const timedOut = await run({ urls: [stall.url], requests: 4, connections: 2, timeout: '100ms' });
    expect(timedOut.errors.byCategory.timeout).toBe(4);
    expect(timedOut.status).toBe('threshold-failed');
    expect(ids(timedOut)).toContain('timeouts');
    // Failed latency: about the timeout, apart from the (absent) successful latency.
    expect(timedOut.errors.latency.min).toBeGreaterThanOrEqual(99);
    const reset = await serve(startResetServer());
    const r = await run({ urls: [reset.url], requests: 10, connections: 1 });
    expect(r.errors.byCategory.reset).toBe(10);
    expect(r.status).toBe('threshold-failed');
    expect(ids(r)).toContain('connection-errors');
  });

  it('a clean run passes on its default checks', async () => {
    const server = await serve(startDelayServer(0));
    const r = await run({ urls: [server.url], requests: 100, connections: 2 });
    expect(r.thresholds.map((t) => [t.expression, t.pass])).toEqual([
      ['errors<0.1%', true],
      ['ok>0', true],
    ]);
    expect(r.status).toBe('pass');
    expect(r.errors.latency.count).toBe(0);
  });
});

describe.sequential('tenon load verdicts (CLI)', () => {
  let dir: string;
  let limited: TestServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tenon-load-verdicts-'));
    limited = await startRateLimitServer(4);
  });
  afterAll(async () => {
    await limited.close();
  });

  it('a dead server fails (exit 1) with a clear finding, in text and JSON', async () => {
    const url = `http://127.0.0.1:${await freePort()}/`;
    const text = await runTenon(['load', url, '-n', '50', '-c', '2', '--workers', '1'], { cwd: dir });
    expect(text.code).toBe(ExitCode.checkFailed);
    expect(text.stdout).toMatch(/^p99\s+—$/m);
    expect(text.stdout).toMatch(/throughput\s+0\.0 ok\/s/);
    expect(text.stdout).toMatch(/✗ errors<0\.1%\s+100% \(default\)/);
    expect(text.stdout).toMatch(/✗ ok>0\s+0 \(default\)/);
    expect(text.stdout).toContain('nothing listens there');
    expect(text.stdout).toMatch(/result\s+FAIL: errors<0\.1%, ok>0 not met/);
    const json = await runTenon(['load', url, '-n', '50', '-c', '2', '--workers', '1', '--json'], {
      cwd: dir,
    });
    expect(json.code).toBe(ExitCode.checkFailed);
    expect((JSON.parse(json.stdout) as LoadResult).status).toBe('threshold-failed');
  });

  it('a server that answers 500 to everything: null latency in JSON, "—" in the summary and the HTML report, latency thresholds fail and say why', async () => {
    const failing = await startHttpServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('boom');
    });
    try {
      const html = join(dir, 'all-500.html');
      const args = ['load', failing.url, '-n', '40', '-c', '2', '--workers', '1', '--threshold', 'p99<1s'];
      const json = await runTenon([...args, '--json'], { cwd: dir });
      expect(json.code).toBe(ExitCode.checkFailed);
      const doc = JSON.parse(json.stdout) as Record<string, unknown> & LoadResult;
      expect(doc.requests).toMatchObject({ total: 40, ok: 0, errors: 40, responses: 40 });
      // In the document itself, not only in the typed result: null, not 0.
      const nulls = {
        min: null,
        mean: null,
        p50: null,
        p90: null,
        p95: null,
        p99: null,
        p999: null,
        max: null,
      };
      expect(doc.latency).toEqual({ corrected: { count: 0, ...nulls }, service: { count: 0, ...nulls } });
      // The failed requests did take time: their own latency has figures.
      expect(doc.errors.latency.count).toBe(40);
      expect(doc.errors.latency.p99).toBeGreaterThan(0);
      expect(doc.statusClasses['5xx']?.count).toBe(40);
      expect(check(doc, 'p99<1s')).toMatchObject({
        actual: null,
        pass: false,
        reason: 'no successful response: no latency to judge',
      });
      expect(doc.status).toBe('threshold-failed');

      const text = await runTenon([...args, '--html', html], { cwd: dir });
      expect(text.code).toBe(ExitCode.checkFailed);
      expect(text.stdout).toMatch(/^p50\s+—$/m);
      expect(text.stdout).toMatch(/^p99\s+—$/m);
      expect(text.stdout).toMatch(/✗ p99<1s\s+— \(no successful response: no latency to judge\)/);
      expect(text.stdout).not.toMatch(/p99<1s\s+0\.00 ms/);
      const report = readFileSync(html, 'utf8');
      expect(report).toContain('— (no successful response: no latency to judge)');
      // The headline cards: dashes, not 0.00 ms (other figures of the report, event-loop lag for one, may be).
      for (const label of ['p50 service', 'p99 service', 'max']) {
        expect(report).toContain(`<div class="label">${label}</div><div class="value">—</div>`);
      }
    } finally {
      await failing.close();
    }
  });

  it('429s: exit 1, their own row and a finding naming Retry-After and RateLimit-*', async () => {
    const r = await runTenon(['load', limited.url, '-n', '100', '-c', '2', '--workers', '1'], { cwd: dir });
    expect(r.code).toBe(ExitCode.checkFailed);
    expect(r.stdout).toMatch(/ {2}rateLimited\s+75/);
    expect(r.stdout).toMatch(/attempted\s+[\d.]+ req\/s/);
    expect(r.stdout).toContain('429 Too Many Requests');
    expect(r.stdout).toContain('Retry-After: 7');
  });
});
