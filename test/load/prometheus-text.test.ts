import { describe, expect, it } from 'vitest';
import { metricsPoint, readScrape } from '../../src/load/signals/metrics-sampler.js';
import { parsePrometheusText, sumOf } from '../../src/load/signals/prometheus-text.js';

/** What prom-client serves: default metrics, a labeled HTTP histogram, pool gauges. */
const scrape = (
  cpu: number,
  gc: number,
  count: number,
  sum: number,
) => `# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total ${cpu}
# TYPE nodejs_eventloop_lag_p99_seconds gauge
nodejs_eventloop_lag_p99_seconds 0.0123
# TYPE nodejs_heap_size_used_bytes gauge
nodejs_heap_size_used_bytes 52428800
# TYPE nodejs_heap_size_total_bytes gauge
nodejs_heap_size_total_bytes 104857600
# TYPE nodejs_gc_duration_seconds histogram
nodejs_gc_duration_seconds_bucket{le="0.001",kind="minor"} 3
nodejs_gc_duration_seconds_bucket{le="+Inf",kind="minor"} 4
nodejs_gc_duration_seconds_sum{kind="minor"} ${gc / 2}
nodejs_gc_duration_seconds_count{kind="minor"} 4
nodejs_gc_duration_seconds_bucket{le="+Inf",kind="major"} 1
nodejs_gc_duration_seconds_sum{kind="major"} ${gc / 2}
nodejs_gc_duration_seconds_count{kind="major"} 1
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1",method="GET",route="/a",status_code="200"} ${count}
http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/a",status_code="200"} ${count}
http_request_duration_seconds_sum{method="GET",route="/a",status_code="200"} ${sum / 2}
http_request_duration_seconds_count{method="GET",route="/a",status_code="200"} ${count / 2}
http_request_duration_seconds_sum{method="GET",route="/b",status_code="200"} ${sum / 2}
http_request_duration_seconds_count{method="GET",route="/b",status_code="200"} ${count / 2}
# TYPE db_pool_waiting_count gauge
db_pool_waiting_count 7
# TYPE db_pool_idle_count gauge
db_pool_idle_count 0
# TYPE db_pool_total_count gauge
db_pool_total_count 20
odd_metric NaN
broken{label="unterminated 1
`;

describe('parsePrometheusText', () => {
  it('keeps every labeled series apart, escapes included, and skips what does not parse', () => {
    const e = parsePrometheusText(
      `${scrape(1, 0.2, 10, 0.5)}path{p="C:\\\\DIR\\\\F.TXT",e="say \\"hi\\"\\nbye"} 1.5e3 1395066363000\n`,
    );
    expect(e.types.get('nodejs_gc_duration_seconds')).toBe('histogram');
    expect(e.samples.get('nodejs_gc_duration_seconds_sum')?.map((s) => s.labels.kind)).toEqual([
      'minor',
      'major',
    ]);
    expect(sumOf(e, 'http_request_duration_seconds_count')).toBe(10);
    expect(sumOf(e, 'http_request_duration_seconds_count', (l) => l.route === '/b')).toBe(5);
    expect(e.samples.get('path')?.[0]).toEqual({
      name: 'path',
      labels: { p: 'C:\\DIR\\F.TXT', e: 'say "hi"\nbye' },
      value: 1500,
    });
    expect(Number.isNaN(e.samples.get('odd_metric')?.[0]?.value)).toBe(true);
    expect(e.samples.has('broken')).toBe(false);
  });

  it('turns two scrapes into one interval: rates for counters, gauges as read', () => {
    const before = readScrape(parsePrometheusText(scrape(10, 0.1, 100, 2)), 0);
    const after = readScrape(parsePrometheusText(scrape(10.8, 0.15, 300, 6)), 1000);
    expect(metricsPoint(1, after, before)).toEqual({
      second: 1,
      cpu: 0.8,
      gcMsPerSecond: 50,
      httpRequests: 200,
      httpMeanMs: 20,
      eventLoopLagMs: 12.3,
      heapUsedMb: 50,
      heapTotalMb: 100,
      poolTotal: 20,
      poolIdle: 0,
      poolWaiting: 7,
    });
  });
});
