import type { EncodedHistogram } from './encoded-histogram.js';
import type { ErrorCounts } from './error-category.js';
import type { Stage } from './schedule.js';

/**
 * Send delay up to this (ms) is not counted as the generator's own: sends
 * are timed by the event loop's millisecond timers, so every open-model
 * send leaves up to about a millisecond late even on an idle machine.
 * (Here, beside the messages, because the worker measures against it and
 * generator-check.ts, which judges it, loads zod — too heavy for the worker.)
 */
export const LATENESS_FLOOR_MS = 1;

/** One endpoint as a worker sees it: where to connect and the exact bytes to send. */
export interface WorkerTarget {
  host: string;
  port: number;
  /** The complete request (head and body), built once. */
  request: Uint8Array;
  /** HEAD requests get responses without a body. */
  head: boolean;
}

/** What one worker is asked to do. All times are ms from the common start. */
export interface WorkerPlan {
  index: number;
  workers: number;
  targets: WorkerTarget[];
  model: 'open' | 'closed';
  /** Open model: the total arrival rate (all workers); the worker takes every `workers`-th request. */
  rate?: number;
  /** Open model: rates; closed model: connections (totals over all workers). */
  stages?: Stage[];
  /** Closed model: this worker's connections; open model: this worker's connection cap. */
  connections: number;
  /** Warmup, then measurement: the schedule runs for warmupMs + durationMs. */
  warmupMs: number;
  durationMs: number;
  /** This worker's share of --requests (counted after warmup), if given. */
  maxRequests?: number;
  timeoutMs: number;
  /** Statuses that count as success; empty: any status below 400. */
  expectStatus: number[];
  /** A send that leaves later than this after its intended time, with a connection free, is late. */
  lateBoundMs: number;
}

/** One endpoint's measurements over one interval (encoded histograms, counts). */
export interface TargetInterval {
  /** Latency of successful responses from the actual send, µs. */
  service: EncodedHistogram;
  /** Latency of successful responses from the intended start (open model only). */
  corrected: EncodedHistogram | null;
  /** Latency of failed requests (from the intended start in the open model), µs; null when none failed. */
  failed: EncodedHistogram | null;
  /** Rate-limit headers of the interval's first 429 (lowercase names), null when no 429 arrived. */
  rateLimit: Record<string, string> | null;
  /** Latency (corrected in the open model) per status class: `2xx`, `4xx`, … */
  classes: Record<string, EncodedHistogram>;
  statuses: Record<string, number>;
  errors: ErrorCounts;
  responses: number;
  ok: number;
  sent: number;
  bytes: number;
}

/** Worker → main: measurements of one second (or the last partial second). */
export interface IntervalMessage {
  type: 'interval';
  worker: number;
  /** 0-based second of the measurement phase. */
  second: number;
  /** Length of the interval in ms: 1000, or less for the last one. */
  spanMs: number;
  targets: TargetInterval[];
  /** Open model: actual − intended send time of every send, µs, encoded. */
  sendDelay: EncodedHistogram | null;
  /** Open model: the send delay of sends that had a connection free (the generator's own lateness), µs. */
  lateness: EncodedHistogram | null;
  late: number;
  queued: number;
  /** Connections busy with a request, at most, during the interval. */
  peakInUse: number;
  /** Connections open at the end of the interval. */
  open: number;
}

/** Worker → main: the worker has stopped. */
export interface DoneMessage {
  type: 'done';
  worker: number;
  /** Event-loop delay beyond its sampling interval (1 ms open, 10 ms closed), ms. */
  lag: { mean: number; p50: number; p99: number; max: number };
  /** The mean delay a response meets because the worker's event loop was stalled, ms (see WorkerMonitor). */
  stallDelayMs: number;
  /** Open model: the send delay beyond the timer granularity of sends with a connection free, summed (ms), and those sends. */
  ownSend: { delayMs: number; sends: number };
  /** Event-loop utilization (0–1) during measurement: how busy the worker was. */
  utilization: number;
  /** CPU time of the worker thread over wall time during measurement (cores; Linux only, else null). */
  cpu: number | null;
  connectionsOpened: number;
  /** Wall time of the worker's last completion, ms from the start of measurement. */
  endedAtMs: number;
}

/** Worker → main: a failure of the worker itself (a bug), not of a request. */
export interface FailedMessage {
  type: 'failed';
  worker: number;
  message: string;
  stack?: string;
}

/** Worker → main: loaded and connected (open model), waiting for the start. */
export interface ReadyMessage {
  type: 'ready';
  worker: number;
}

/** Any message a worker posts. */
export type WorkerMessage = ReadyMessage | IntervalMessage | DoneMessage | FailedMessage;

/**
 * Main → worker: `start` gives the common start as
 * `performance.timeOrigin + performance.now()` (epoch ms, sub-ms precision),
 * so all workers share one time axis; `stop` ends the run early.
 */
export type MainMessage = { type: 'start'; startAt: number } | { type: 'stop' };
