import type { ChartSeries, ChartSpec } from './charts.js';
import { formatInt, formatMs } from './format.js';

/*
 * The charts of load runs, shared by the load report (one run) and the demo
 * report (before and after): latency and throughput per second, the
 * percentile spectrum and the latency distribution. The inputs are plain
 * shapes that load's result has, so src/report needs nothing from src/load.
 */

/** Latency percentiles of one second, ms. */
export interface SecondLatency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** One second of a load run, as the charts read it (load's `SeriesPoint` is one). */
export interface ChartSecond {
  /** Seconds since measurement started, at the end of this second. */
  second: number;
  requests: number;
  /** Requests that ended per second (any outcome). */
  rps: number;
  /** Successful responses among `requests` (absent: all of them). */
  ok?: number;
  errors: number;
  /** The interval was shorter than a second (the run's last): its rates are noise and are not drawn. */
  partial?: boolean;
  /** Open model: the rate the schedule asked for. */
  targetRps?: number;
  connectionsInUse?: number;
  corrected: SecondLatency;
  service: SecondLatency;
}

/** A load run to draw: how the legend names it, its color, its data. */
export interface ChartRun {
  /** Added to each series label (`before`, `after`, an endpoint); empty for a report of one run. */
  label: string;
  color?: string;
  seconds: readonly ChartSecond[];
  /** The percentile spectrum: latency (ms) at each percentile. */
  spectrum?: readonly { percentile: number; ms: number }[];
  /** Log-spaced latency buckets: requests that took up to `toMs`. */
  buckets?: readonly { toMs: number; count: number }[];
}

/** A line of a latency chart: which percentile, measured how. */
export interface LatencyLine {
  key: keyof SecondLatency;
  /** Default: the chart's `latency`. */
  from?: 'corrected' | 'service';
  /** Default: the key (`p99`); `''` names the series after its run alone. */
  label?: string;
  dash?: boolean;
}

/** The gray of reference lines (targets, connections). */
const REFERENCE = '#6b7280';
/** The throughput chart's target rate: apart from the errors' red and the connections' gray. */
const TARGET = '#16a34a';

function seriesLabel(what: string, run: ChartRun): string {
  return [what, run.label].filter(Boolean).join(' ');
}

/** The x axis of per-second charts: the seconds of the longest run. Values align by index. */
function secondsAxis(runs: readonly ChartRun[]): number[] {
  const longest = runs.reduce<readonly ChartSecond[]>(
    (a, r) => (r.seconds.length > a.length ? r.seconds : a),
    [],
  );
  return longest.map((p) => p.second);
}

function perSecond(
  run: ChartRun,
  length: number,
  value: (p: ChartSecond) => number | null,
): (number | null)[] {
  return Array.from({ length }, (_, i) => {
    const p = run.seconds[i];
    return p ? value(p) : null;
  });
}

/**
 * Says that a run's last point covers less than a second: its percentiles
 * rest on fewer requests than the others'. Undefined when no run ends so.
 */
function partialNote(runs: readonly ChartRun[]): string | undefined {
  for (const run of runs) {
    const last = run.seconds.at(-1);
    if (!last?.partial) continue;
    const span = last.second - (run.seconds.at(-2)?.second ?? 0);
    return `The last point (at ${round3(last.second)} s) covers only ${round3(span)} s (${formatInt(last.requests)} requests).`;
  }
  return undefined;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Latency percentiles per second: one series per line and run (lines
 * first, then runs), a gap where a second had no request; with `targetMs`,
 * a dashed reference line.
 */
export function latencyOverTimeChart(options: {
  id: string;
  title: string;
  runs: readonly ChartRun[];
  latency: 'corrected' | 'service';
  lines: readonly LatencyLine[];
  targetMs?: number;
  /** More series on the same axis (e.g. the ramp's target rate, on the right). */
  extra?: (x: number[]) => ChartSeries[];
  yRightLabel?: string;
}): ChartSpec {
  const x = secondsAxis(options.runs);
  const series: ChartSeries[] = options.lines.flatMap((line) =>
    options.runs.map((run) => ({
      label: seriesLabel(line.label ?? line.key, run),
      // A second with no successful response has no latency (not 0 ms): a gap.
      values: perSecond(run, x.length, (p) =>
        (p.ok ?? p.requests) > 0 ? p[line.from ?? options.latency][line.key] : null,
      ),
      ...(run.color ? { color: run.color } : {}),
      ...(line.dash ? { dash: true } : {}),
    })),
  );
  if (options.targetMs !== undefined) {
    series.push({
      label: `target ${options.targetMs} ms`,
      values: x.map(() => options.targetMs!),
      color: REFERENCE,
      dash: true,
    });
  }
  series.push(...(options.extra?.(x) ?? []));
  const note = partialNote(options.runs);
  return {
    id: options.id,
    title: options.title,
    ...(note ? { note } : {}),
    x,
    xLabel: 'second',
    yLabel: 'ms',
    ...(options.yRightLabel ? { yRightLabel: options.yRightLabel } : {}),
    xFormat: 'seconds',
    series,
  };
}

/** Successful and failed requests per second of a point (its `rps` share them); null for a partial second. */
function rates(p: ChartSecond): { ok: number; errors: number } | null {
  if (p.partial) return null;
  if (p.requests === 0) return { ok: 0, errors: 0 };
  const perRequest = p.rps / p.requests;
  return { ok: (p.ok ?? p.requests - p.errors) * perRequest, errors: p.errors * perRequest };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * Successful responses per second of each run, its errors per second
 * (dashed), and optionally the schedule's target rate (of the first run)
 * and the connections in use. Errors are on the right axis (`errors/s`)
 * unless the connections are drawn: then the right axis is theirs
 * (`connections in use`) and errors share the left axis, in the same
 * unit as throughput. A last, partial second is left out: a rate over a
 * fraction of a second is noise.
 */
export function throughputChart(options: {
  id?: string;
  runs: readonly ChartRun[];
  target?: boolean;
  connections?: boolean;
}): ChartSpec {
  const { runs } = options;
  const x = secondsAxis(runs);
  const series: ChartSeries[] = runs.map((run) => ({
    label: seriesLabel('ok/s', run),
    values: perSecond(run, x.length, (p) => {
      const r = rates(p);
      return r ? round1(r.ok) : null;
    }),
    ...(run.color ? { color: run.color } : {}),
  }));
  if (options.target && runs[0]) {
    series.push({
      label: 'target',
      values: perSecond(runs[0], x.length, (p) => p.targetRps ?? null),
      // Not the palette's second color: that red is the errors' line.
      color: TARGET,
      dash: true,
    });
  }
  for (const run of runs) {
    series.push({
      label: seriesLabel('errors/s', run),
      values: perSecond(run, x.length, (p) => {
        const r = rates(p);
        return r ? round1(r.errors) : null;
      }),
      color: run.color ?? '#dc2626',
      dash: true,
      ...(options.connections ? {} : { rightAxis: true }),
    });
  }
  if (options.connections) {
    for (const run of runs) {
      series.push({
        label: seriesLabel('connections in use', run),
        values: perSecond(run, x.length, (p) => p.connectionsInUse ?? null),
        color: run.color ?? REFERENCE,
        dash: true,
        rightAxis: true,
      });
    }
  }
  return {
    id: options.id ?? 'throughput',
    title: 'Throughput and errors per second',
    x,
    xLabel: 'second',
    yLabel: 'req/s',
    yRightLabel: options.connections ? 'connections in use' : 'errors/s',
    xFormat: 'seconds',
    series,
  };
}

/** Values of several runs on one x axis: the union of their keys, a gap where a run has none. */
function union<T>(lists: readonly (readonly T[])[], key: (t: T) => number, value: (t: T) => number) {
  const xs = [...new Set(lists.flatMap((list) => list.map(key)))].sort((a, b) => a - b);
  const values = lists.map((list) => {
    const map = new Map(list.map((t) => [key(t), value(t)]));
    return xs.map((x) => map.get(x) ?? null);
  });
  return { xs, values };
}

/**
 * Latency by percentile (HdrHistogram spectrum) of each run: x is the
 * number of nines, a log y-axis when every value is positive. The 100th
 * percentile (the max) is left out: it has no place on that axis.
 */
export function spectrumChart(options: { id?: string; runs: readonly ChartRun[] }): ChartSpec {
  const { xs, values } = union(
    options.runs.map((r) => (r.spectrum ?? []).filter((p) => p.percentile < 100)),
    (p) => p.percentile,
    (p) => p.ms,
  );
  return {
    id: options.id ?? 'percentile-spectrum',
    title: 'Latency by percentile (HdrHistogram spectrum), ms',
    x: xs.map((p) => -Math.log10(1 - p / 100)),
    xLabel: 'percentile',
    yLabel: 'ms',
    xFormat: 'percentile',
    yLog: values.flat().every((v) => v === null || v > 0),
    series: options.runs.map((run, i) => ({
      label: run.label,
      values: values[i]!,
      ...(run.color ? { color: run.color } : {}),
    })),
  };
}

/** Requests per log-spaced latency bucket of each run, as bars. */
export function distributionChart(options: { id?: string; runs: readonly ChartRun[] }): ChartSpec {
  const { xs, values } = union(
    options.runs.map((r) => r.buckets ?? []),
    (b) => b.toMs,
    (b) => b.count,
  );
  return {
    id: options.id ?? 'distribution',
    title: 'Latency distribution (requests per bucket, log-spaced)',
    x: xs.map((_, i) => i),
    xLabels: xs.map((ms) => formatMs(ms)),
    xLabel: 'latency up to',
    yLabel: 'requests',
    xFormat: 'labels',
    series: options.runs.map((run, i) => ({
      label: run.label,
      values: values[i]!,
      bars: true,
      ...(run.color ? { color: run.color } : {}),
    })),
  };
}

/** Whether any run has the data of a spectrum or distribution chart. */
export function hasPoints(runs: readonly ChartRun[], what: 'spectrum' | 'buckets'): boolean {
  return runs.some((r) =>
    what === 'spectrum' ? (r.spectrum ?? []).some((p) => p.percentile < 100) : (r.buckets ?? []).length > 0,
  );
}
