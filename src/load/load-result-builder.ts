import type { ServerSignals } from '../core/signals/server-signals.js';
import { attachRunHistograms } from './baseline/run-histograms.js';
import { findBottlenecks } from './bottleneck/find-bottlenecks.js';
import { judgeGenerator } from './generator-check.js';
import { distribution, spectrum, summarize } from './histogram-summary.js';
import type { LoadAggregator, Totals } from './load-aggregator.js';
import type { ResolvedLoadOptions } from './load-options.js';
import { type EndpointFigures, LOAD_RESULT_SCHEMA, type LoadResult } from './load-result.js';
import { recommend } from './recommendations.js';
import { evaluateThresholds, type Threshold } from './thresholds.js';
import type { DoneMessage } from './worker-protocol.js';

/** What a worker reported at its end. */
export type WorkerReport = DoneMessage;

/** Everything {@link buildLoadResult} needs. */
export interface ResultInputs {
  /** Server-side signals sampled during the run, if any were asked for. */
  signals?: ServerSignals | null;
  options: ResolvedLoadOptions;
  targets: { url: string }[];
  aggregator: LoadAggregator;
  reports: WorkerReport[];
  thresholds: Threshold[];
  version: string;
  startedAt: Date;
  /** Measured milliseconds: the planned duration, or up to the last response. */
  measuredMs: number;
  /** Open model: requests the schedule held. */
  scheduleCount: number | undefined;
  cpuCores: number;
  interrupted: boolean;
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The generator's own send delay per send with a connection free, ms, over all workers. */
function ownSendMs(reports: readonly WorkerReport[]): number {
  const sends = reports.reduce((s, r) => s + r.ownSend.sends, 0);
  return sends > 0 ? reports.reduce((s, r) => s + r.ownSend.delayMs, 0) / sends : 0;
}

/** An endpoint's (or all endpoints') figures; `open` false: the corrected latency is the service latency. */
function figures(t: Totals, seconds: number, open: boolean): EndpointFigures {
  const ended = t.ended;
  // The closed model records no intended start: both histograms hold the same samples.
  const service = summarize(t.service);
  const errors = t.errorCount;
  return {
    requests: { total: ended, ok: t.ok, errors, sent: t.sent, responses: t.responses },
    throughput: {
      rps: round(t.ok / seconds),
      attemptedRps: round(ended / seconds),
      bytesPerSecond: Math.round(t.bytes / seconds),
    },
    latency: { corrected: open ? summarize(t.corrected) : { ...service }, service },
    statusCodes: Object.fromEntries([...t.statuses].sort((a, b) => Number(a[0]) - Number(b[0]))),
    statusClasses: Object.fromEntries([...t.classes].sort().map(([cls, h]) => [cls, summarize(h)])),
    errors: {
      total: errors,
      rate: ended === 0 ? 0 : round((errors / ended) * 100, 4),
      byCategory: { ...t.errors },
      latency: summarize(t.failed),
      rateLimitHeaders: Object.fromEntries([...t.rateLimitHeaders].sort()),
    },
  };
}

function endpointName(url: string, method: string, all: string[]): string {
  const u = new URL(url);
  const sameHost = all.every((other) => new URL(other).host === u.host);
  return `${method} ${sameHost ? '' : u.host}${u.pathname}${u.search}`;
}

/** Assembles the {@link LoadResult} from the merged measurements. */
export function buildLoadResult(inputs: ResultInputs): LoadResult {
  const { options, aggregator, reports } = inputs;
  const seconds = Math.max(0.001, inputs.measuredMs / 1000);
  const all = aggregator.all;
  const open = options.model === 'open';
  const overall = figures(all, seconds, open);
  const primary = open ? all.corrected : all.service;

  const lag = {
    mean: Math.max(0, ...reports.map((r) => r.lag.mean)),
    p50: Math.max(0, ...reports.map((r) => r.lag.p50)),
    p99: Math.max(0, ...reports.map((r) => r.lag.p99)),
    max: Math.max(0, ...reports.map((r) => r.lag.max)),
  };
  // Judged by the effect on the figures, not by the event loop's lag alone (reported as evidence).
  const judged = open
    ? judgeGenerator({
        seen: overall.latency.corrected,
        ownSendMs: ownSendMs(reports),
        stallDelayMs: Math.max(0, ...reports.map((r) => r.stallDelayMs)),
        // No send had a connection free: none was late.
        latenessP99Ms: summarize(aggregator.lateness).p99 ?? 0,
        max: options.maxLateness,
      })
    : undefined;
  const reasons = judged?.reasons ?? [];
  const scheduleSeconds = options.durationMs / 1000;
  const urls = inputs.targets.map((t) => t.url);
  const draft: Omit<LoadResult, 'recommendations' | 'signals' | 'bottlenecks'> = {
    schema: LOAD_RESULT_SCHEMA,
    tool: { name: 'tenon', version: inputs.version },
    startedAt: inputs.startedAt.toISOString(),
    durationSeconds: round(seconds, 3),
    model: options.model,
    latencyCorrected: open,
    ...overall,
    options: {
      urls,
      method: options.method,
      rate: options.rate ?? null,
      connections: options.connections,
      durationMs: options.durationMs,
      requests: options.requests ?? null,
      stages: options.stages ?? null,
      warmupMs: options.warmupMs,
      timeoutMs: options.timeoutMs,
      workers: options.workers,
      expectStatus: options.expectStatus,
      maxLateness:
        'share' in options.maxLateness
          ? `${round(options.maxLateness.share * 100, 2)}%`
          : `${options.maxLateness.ms} ms`,
    },
    schedule: open
      ? {
          targetRps: round((inputs.scheduleCount ?? 0) / scheduleSeconds),
          sendRate: round(all.sent / scheduleSeconds),
          sendDelay: summarize(aggregator.sendDelay),
          lateness: summarize(aggregator.lateness),
          late: aggregator.late,
          lateBoundMs: 2,
          queued: aggregator.queued,
        }
      : null,
    connections: {
      peakInUse: aggregator.peakInUse,
      opened: reports.reduce((s, r) => s + r.connectionsOpened, 0),
    },
    generator: {
      workers: options.workers,
      saturated: reasons.length > 0,
      reasons,
      ownDelay: judged?.ownDelay ?? null,
      eventLoopLag: lag,
      perWorker: reports.map((r) => ({ utilization: r.utilization, cpu: r.cpu, lagP99: r.lag.p99 })),
      cpuCores: inputs.cpuCores,
    },
    thresholds: [],
    thresholdsPassed: true,
    status: 'pass',
    series: aggregator.series,
    endpoints: aggregator.targets.map((t, i) => ({
      url: urls[i]!,
      method: options.targets?.[i]?.method?.toUpperCase() ?? options.method,
      name:
        options.targets?.[i]?.name ??
        endpointName(urls[i]!, options.targets?.[i]?.method?.toUpperCase() ?? options.method, urls),
      // One endpoint: its figures are the run's (the same totals), not summarized twice.
      ...(aggregator.targets.length === 1 ? structuredClone(overall) : figures(t, seconds, open)),
      series: aggregator.targetSeries[i]!,
    })),
    distribution: { spectrum: spectrum(primary), buckets: distribution(primary) },
    interrupted: inputs.interrupted,
  };
  draft.thresholds = evaluateThresholds(inputs.thresholds, {
    latency: open ? overall.latency.corrected : overall.latency.service,
    errorRate: overall.errors.rate,
    rps: overall.throughput.rps,
    ok: overall.requests.ok,
  });
  draft.thresholdsPassed = draft.thresholds.every((t) => t.pass);
  // A failed threshold is a verdict on the target and stands even when the generator was also
  // saturated (both are reported); saturation alone means the figures cannot be judged.
  draft.status = !draft.thresholdsPassed
    ? 'threshold-failed'
    : draft.generator.saturated
      ? 'generator-saturated'
      : 'pass';
  const signals = inputs.signals ?? null;
  const result: LoadResult = {
    ...draft,
    recommendations: recommend(draft, signals),
    signals,
    bottlenecks: findBottlenecks(draft, signals),
  };
  attachRunHistograms(result, {
    corrected: all.corrected,
    service: all.service,
    endpoints: aggregator.targets.map((t) => ({ corrected: t.corrected, service: t.service })),
  });
  return result;
}
