import { performance } from 'node:perf_hooks';
import { TenonError } from '../../core/errors.js';
import type { MetricsSignalPoint, MetricsSignals, SignalSource } from '../../core/signals/server-signals.js';
import { type PromExposition, parsePrometheusText, sumOf } from './prometheus-text.js';

/** The figures read from one scrape, cumulative ones as read. */
interface Scrape {
  at: number;
  cpuSeconds?: number;
  gcSeconds?: number;
  httpCount?: number;
  httpSum?: number;
  lagSeconds?: number;
  utilization?: number;
  heapUsed?: number;
  heapTotal?: number;
  poolTotal?: number;
  poolIdle?: number;
  poolWaiting?: number;
  poolMax?: number;
}

/** The first family whose name matches, summed over its series. */
function firstMatch(e: PromExposition, pattern: RegExp): number | undefined {
  for (const name of e.samples.keys()) if (pattern.test(name)) return sumOf(e, name);
  return undefined;
}

/** An HTTP duration histogram or summary (prom-client's usual names and the common middlewares'). */
function httpHistogram(e: PromExposition): { count?: number; sum?: number } {
  for (const [family] of e.types) {
    if (!/^http_.*(duration|latency|response_time)/.test(family)) continue;
    return { count: sumOf(e, `${family}_count`), sum: sumOf(e, `${family}_sum`) };
  }
  return {};
}

/** What a scrape says, by the names prom-client's default metrics and the usual pool gauges use. */
export function readScrape(e: PromExposition, at: number): Scrape {
  const http = httpHistogram(e);
  return {
    at,
    cpuSeconds: sumOf(e, 'process_cpu_seconds_total'),
    gcSeconds: sumOf(e, 'nodejs_gc_duration_seconds_sum'),
    httpCount: http.count,
    httpSum: http.sum,
    lagSeconds: sumOf(e, 'nodejs_eventloop_lag_p99_seconds') ?? sumOf(e, 'nodejs_eventloop_lag_seconds'),
    utilization: firstMatch(e, /^nodejs_eventloop_utili[sz]ation(_ratio)?$/),
    heapUsed: sumOf(e, 'nodejs_heap_size_used_bytes'),
    heapTotal: sumOf(e, 'nodejs_heap_size_total_bytes'),
    poolWaiting: firstMatch(e, /pool.*_(waiting|pending)(_count|_clients|_requests)?$/),
    poolIdle: firstMatch(e, /pool.*_idle(_count|_clients|_connections)?$/),
    poolMax: firstMatch(e, /pool.*_(max|size_max|limit)$/),
    poolTotal: firstMatch(e, /pool.*_(total|size|connections)(_count)?$/),
  };
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The interval's figures from two scrapes: rates for counters, the latest value for gauges. */
export function metricsPoint(second: number, now: Scrape, before: Scrape): MetricsSignalPoint {
  const wallS = Math.max(0.001, (now.at - before.at) / 1000);
  const rate = (a?: number, b?: number) =>
    a === undefined || b === undefined ? undefined : Math.max(0, a - b) / wallS;
  const p: MetricsSignalPoint = { second: round(second) };
  const cpu = rate(now.cpuSeconds, before.cpuSeconds);
  if (cpu !== undefined) p.cpu = round(cpu);
  const gc = rate(now.gcSeconds, before.gcSeconds);
  if (gc !== undefined) p.gcMsPerSecond = round(gc * 1000, 1);
  if (now.httpCount !== undefined && before.httpCount !== undefined) {
    const n = Math.max(0, now.httpCount - before.httpCount);
    p.httpRequests = n;
    if (n > 0 && now.httpSum !== undefined && before.httpSum !== undefined)
      p.httpMeanMs = round(((now.httpSum - before.httpSum) / n) * 1000);
  }
  if (now.lagSeconds !== undefined) p.eventLoopLagMs = round(now.lagSeconds * 1000);
  if (now.utilization !== undefined) p.eventLoopUtilization = round(now.utilization);
  if (now.heapUsed !== undefined) p.heapUsedMb = round(now.heapUsed / 1048576, 1);
  if (now.heapTotal !== undefined) p.heapTotalMb = round(now.heapTotal / 1048576, 1);
  for (const key of ['poolTotal', 'poolIdle', 'poolWaiting', 'poolMax'] as const) {
    if (now[key] !== undefined) p[key] = now[key];
  }
  return p;
}

/**
 * Scrapes the target's Prometheus endpoint once per interval: CPU, event
 * loop lag and utilization, heap, GC time, an HTTP duration histogram and
 * database pool gauges, by the names prom-client and the common pool
 * exporters use. Families it does not find are left out of the points.
 *
 * @throws TenonError `TENON_LOAD_METRICS_UNREADABLE` (from `start`) when the first scrape fails
 */
export function createMetricsSampler(url: string, timeoutMs = 2000): SignalSource<MetricsSignals> {
  const series: MetricsSignalPoint[] = [];
  const notes: string[] = [];
  let last: Scrape | undefined;
  let families = 0;
  let failures = 0;
  const scrape = async () => {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'text/plain;version=0.0.4' },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const exposition = parsePrometheusText(await response.text());
    return { exposition, scrape: readScrape(exposition, performance.now()) };
  };
  return {
    async start() {
      try {
        const first = await scrape();
        families = first.exposition.types.size || first.exposition.samples.size;
        last = first.scrape;
      } catch (cause) {
        throw new TenonError(
          'TENON_LOAD_METRICS_UNREADABLE',
          `Cannot read metrics from ${url}: ${(cause as Error).message}`,
          {
            cause,
            hint: 'Give the URL of a Prometheus text endpoint the generator can reach (e.g. http://127.0.0.1:9464/metrics); a tenon-generated app serves one (see its README).',
          },
        );
      }
    },
    async sample(second) {
      if (!last) return;
      try {
        const now = (await scrape()).scrape;
        // Second 0 (the start of measurement) only sets the baseline.
        if (second > 0) series.push(metricsPoint(second, now, last));
        last = now;
      } catch (error) {
        if (failures++ === 0)
          notes.push(`a scrape failed at ${round(second, 1)} s: ${(error as Error).message}`);
      }
    },
    async finish() {
      if (failures > 1) notes.push(`${failures} scrapes failed in all`);
      return { url, families, series, notes };
    },
    async close() {},
  };
}
