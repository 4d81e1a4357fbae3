import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policy } from '../../src/generated/policy.js';
import { startMetricsServer } from '../../src/http/metrics.js';
import { RouteTable } from '../../src/http/route-table.js';
import { startTestApp, type TestApp } from './test-app.js';
import { unknownPath } from './unknown-path.js';

// Whether one of the spec's operations answers GET /metrics on the API port: one declared there
// (hanko), or a path parameter that takes any segment (shlink's `GET /{shortCode}`).
const specRoutes = new RouteTable();
for (const rule of Object.values(policy)) {
  const [method, path] = rule.route.split(' ');
  specRoutes.add(method!, path!);
}
const SPEC_METRICS = specRoutes.allowed('/metrics')?.includes('GET') === true;

let app: TestApp;
let metricsServer: Server;
let metricsUrl: string;
beforeAll(async () => {
  app = await startTestApp();
  metricsServer = await startMetricsServer(app.metrics, 0, '127.0.0.1');
  metricsUrl = `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}/metrics`;
});
afterAll(async () => {
  await new Promise((resolve) => metricsServer?.close(resolve));
  await app?.close();
});

// The Prometheus text format (0.0.4), line by line: comments, or a sample with optional labels.
// Values as Prometheus reads them (Go's ParseFloat): prom-client writes an empty mean as `Nan`.
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(?:${LABEL})(?:,${LABEL})*,?\\})? (-?[0-9.eE+-]+|[Nn]a[Nn]|[+-]Inf)(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP ${NAME} .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

/** Parses the exposition: every line must be valid; returns the samples by metric family. */
function parseExposition(text: string): Map<string, { line: string; value: number }[]> {
  const families = new Map<string, { line: string; value: number }[]>();
  for (const line of text.split('\n')) {
    if (line === '' || HELP.test(line) || TYPE.test(line)) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not Prometheus text format: ${line}`);
    const family = match[1]!.replace(/_(bucket|sum|count)$/, '');
    const list = families.get(family) ?? [];
    list.push({ line, value: Number(match[2]) });
    families.set(family, list);
  }
  return families;
}

describe('Prometheus metrics', () => {
  it('serves parsable metrics: Node.js defaults, request durations by route, database pool', async () => {
    expect((await app.request('GET', '/health/live')).status).toBe(200);
    expect((await app.request('GET', unknownPath())).status).toBe(404);
    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parseExposition(await res.text());
    for (const name of ['process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(families.has(name), name).toBe(true);
    }
    const durations = families.get('http_request_duration_seconds') ?? [];
    const live = durations.filter((s) => s.line.includes('route="/health/live"') && s.line.includes('status="200"'));
    expect(live.find((s) => s.line.startsWith('http_request_duration_seconds_count'))?.value).toBe(1);
    // Buckets are cumulative, in order of their bounds, and the last (+Inf) holds every answer.
    const buckets = live.filter((s) => s.line.startsWith('http_request_duration_seconds_bucket'));
    expect(buckets.length).toBe(14);
    expect(buckets.map((s) => s.value)).toEqual([...buckets.map((s) => s.value)].sort((a, b) => a - b));
    expect(buckets.at(-1)?.line).toContain('le="+Inf"');
    expect(buckets.at(-1)?.value).toBe(1);
    // An unknown path is one label value, not the raw URL: scanners cannot grow the series.
    expect(durations.some((s) => s.line.includes('route="(unmatched)"'))).toBe(true);
    expect(durations.some((s) => s.line.includes('no-such-thing'))).toBe(false);
    // The pool's gauges on server PostgreSQL; PGlite has no pool and shows none (not zeros).
    for (const name of ['db_pool_connections_total', 'db_pool_connections_idle', 'db_pool_connections_max', 'db_pool_waiting_clients']) {
      expect(families.has(name), name).toBe(app.db.kind === 'postgres');
    }
    if (app.db.kind === 'postgres') expect(families.get('db_pool_connections_max')![0]!.value).toBe(app.config.DB_POOL_MAX);
  });

  it('is not public: the API port has no /metrics, the metrics port nothing else', async () => {
    const onApiPort = await app.request('GET', '/metrics');
    // A spec's operation there (hanko's GET /metrics, shlink's GET /{shortCode}) answers under its own policy.
    if (SPEC_METRICS) expect(onApiPort.text).not.toMatch(/^# (HELP|TYPE) /m);
    else expect(onApiPort.status).toBe(404);
    expect((await fetch(metricsUrl.replace('/metrics', '/health/live'))).status).toBe(404);
    expect((await fetch(metricsUrl, { method: 'POST' })).status).toBe(404);
  });
});
