import type { ServerSignals } from '../core/signals/server-signals.js';
import type { BaselineComparison } from './baseline/baseline-comparison.js';
import type { Bottleneck } from './bottleneck/bottleneck.js';
import type { ErrorCounts } from './error-category.js';
import type { OwnDelay } from './generator-check.js';
import type { DistributionBucket, LatencySummary, SpectrumPoint } from './histogram-summary.js';

/** The `schema` field of every JSON result; bumped on incompatible changes. */
export const LOAD_RESULT_SCHEMA = 'tenon.load/v1';

/** Latency figures of a set of responses, in milliseconds. */
export interface LatencyFigures {
  /**
   * From each request's intended start (open model): includes time spent
   * waiting for a connection or behind a stalled server. In the closed
   * model there is no intended start; the figures equal `service`.
   */
  corrected: LatencySummary;
  /** From the moment the request was written to the socket. */
  service: LatencySummary;
}

/** Counts of requests. */
export interface RequestCounts {
  /** Requests that ended, one way or another: responses plus transport failures. */
  total: number;
  /** Responses with an expected status. */
  ok: number;
  /** Everything else: transport failures and unexpected statuses. */
  errors: number;
  /** Requests written to a socket. */
  sent: number;
  /** Responses received (any status). */
  responses: number;
}

/** Errors by category, with the share of all requests. */
export interface ErrorFigures {
  total: number;
  /** errors / requests.total, in percent. */
  rate: number;
  byCategory: ErrorCounts;
  /**
   * Latency of the failed requests (from the intended start in the open
   * model, from the send in the closed model, to the failure), apart from
   * the successful ones: a fast refusal must not make the service look fast.
   */
  latency: LatencySummary;
  /** Rate-limit headers the target sent with its 429s (lowercase name → first value seen). */
  rateLimitHeaders: Record<string, string>;
}

/** The measurements of one endpoint (or of all together). */
export interface EndpointFigures {
  requests: RequestCounts;
  /** `rps`: successful responses per second; `attemptedRps`: requests that ended, any outcome. */
  throughput: { rps: number; attemptedRps: number; bytesPerSecond: number };
  /** Latency of the successful responses (failed ones: `errors.latency`). */
  latency: LatencyFigures;
  statusCodes: Record<string, number>;
  /** Latency per status class (`2xx`, `5xx`, …); corrected in the open model. */
  statusClasses: Record<string, LatencySummary>;
  errors: ErrorFigures;
}

/** One endpoint of the run. */
export interface EndpointResult extends EndpointFigures {
  url: string;
  method: string;
  /** `GET /api/v1/products`: short, for tables. */
  name: string;
  series: SeriesPoint[];
}

/** One second of the run. */
export interface SeriesPoint {
  /** Seconds since the start of measurement at the end of this interval (the last may end early). */
  second: number;
  /** Requests that ended in this interval. */
  requests: number;
  /** The interval is shorter than a second (the last one, up to the last answer): its rate is noisy, charts leave it out. */
  partial?: true;
  ok: number;
  errors: number;
  rps: number;
  /** Open model: the rate the schedule asked for during this second (absent after the schedule). */
  targetRps?: number;
  corrected: { p50: number; p90: number; p99: number; max: number };
  service: { p50: number; p90: number; p99: number; max: number };
  /** Connections busy at most during the second (summed over workers). */
  connectionsInUse: number;
}

/** How well the open-model schedule was kept. */
export interface ScheduleFigures {
  /** Requests per second asked for (mean over the run; open model). */
  targetRps: number;
  /** Requests sent per second of schedule. */
  sendRate: number;
  /** Actual − intended send time, for every send. */
  sendDelay: LatencySummary;
  /** The send delay of the sends that had a connection free: the generator's own lateness. */
  lateness: LatencySummary;
  /** Sends that left more than `lateBoundMs` late with a connection free: the generator's fault. */
  late: number;
  lateBoundMs: number;
  /** Sends that waited for a connection (cap reached, or a new connection being set up). */
  queued: number;
}

/** The generator's view of itself. */
export interface GeneratorFigures {
  workers: number;
  /** True when the generator could not keep the schedule: latency figures are not trustworthy. */
  saturated: boolean;
  /** Why it is marked saturated (empty when not). */
  reasons: string[];
  /**
   * Open model: the generator's own delay per request (late sends, stalled
   * event loop), its share of the mean corrected latency, and the tolerance
   * applied (`--max-lateness`); null in the closed model.
   */
  ownDelay: OwnDelay | null;
  /** Event-loop lag (delay beyond the sampling interval: 1 ms in the open model, 10 ms in the closed), worst worker, ms. */
  eventLoopLag: { mean: number; p50: number; p99: number; max: number };
  /**
   * Per worker: event-loop utilization (share of time busy, 0–1), the CPU the
   * thread used over wall time (cores, from /proc on Linux; null elsewhere) and lag.
   */
  perWorker: { utilization: number; cpu: number | null; lagP99: number }[];
  /** CPU time of the whole process over wall time, in cores (1.0 = one core busy). */
  cpuCores: number;
}

/** One evaluated threshold. */
export interface ThresholdResult {
  expression: string;
  metric: string;
  operator: '<' | '<=' | '>' | '>=';
  limit: number;
  /** The run's figure; null for a latency threshold when nothing succeeded (no latency was measured). */
  actual: number | null;
  unit: 'ms' | '%' | 'req/s' | 'requests';
  /** `user` (--threshold, config), `slo` (--slo preset) or `default` (the error budget and `ok>0` every run checks). */
  source: 'user' | 'slo' | 'default';
  pass: boolean;
  /** Why it failed when there was no figure to compare (`actual` null); absent otherwise. */
  reason?: string;
}

/** A finding drawn from the run's own figures. */
export interface Recommendation {
  id: string;
  severity: 'info' | 'warning';
  message: string;
  evidence: Record<string, number | string>;
}

/** The result of `runLoad` and the JSON document of `tenon load --json`. */
export interface LoadResult extends EndpointFigures {
  schema: typeof LOAD_RESULT_SCHEMA;
  tool: { name: 'tenon'; version: string };
  startedAt: string;
  /** Measured seconds (warmup excluded), up to the last response. */
  durationSeconds: number;
  model: 'open' | 'closed';
  /** False in the closed model: latency is measured from the actual send only. */
  latencyCorrected: boolean;
  options: {
    urls: string[];
    method: string;
    rate: number | null;
    connections: number;
    durationMs: number;
    requests: number | null;
    stages: { durationMs: number; target: number }[] | null;
    warmupMs: number;
    timeoutMs: number;
    workers: number;
    expectStatus: number[];
    /** `20%` or `5 ms`. */
    maxLateness: string;
  };
  schedule: ScheduleFigures | null;
  connections: { peakInUse: number; opened: number };
  generator: GeneratorFigures;
  thresholds: ThresholdResult[];
  thresholdsPassed: boolean;
  /**
   * `threshold-failed` when a threshold (or a default check) failed, even if
   * the generator was also saturated; else `regressed` when `--compare`
   * found a regression against the baseline (set with `comparison`); else
   * `generator-saturated` when it was; else `pass`. The order of the exit
   * codes (1, 5, 4, 0), so a reader of `status` alone misses nothing.
   */
  status: 'pass' | 'threshold-failed' | 'regressed' | 'generator-saturated';
  recommendations: Recommendation[];
  series: SeriesPoint[];
  endpoints: EndpointResult[];
  /** For charts: the corrected (open) or service (closed) latency's percentile spectrum and distribution. */
  distribution: { spectrum: SpectrumPoint[]; buckets: DistributionBucket[] };
  /** True when the run was stopped early (Ctrl-C / abort signal). */
  interrupted: boolean;
  /** With `--compare FILE` (or {@link compareToBaseline}): this run against the saved baseline. */
  comparison?: BaselineComparison;
  /**
   * Server-side signals sampled once per second, aligned with `series`
   * (`--db`, `--pid`, `--metrics`); null when none was asked for.
   */
  signals: ServerSignals | null;
  /** Where the time went, strongest first, each with its evidence; empty when nothing is named. */
  bottlenecks: Bottleneck[];
}
