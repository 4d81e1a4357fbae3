import {
  createHistogram,
  createTotalHistogram,
  type LatencyHistogram,
  recordMicros,
  toMicros,
} from '../histogram.js';
import { percentilesUs, summarize } from '../histogram-summary.js';
import { isRateLimitHeader } from '../rate-limit-headers.js';
import type { FlowResult, ScenarioSeriesPoint, StepResult } from './scenario-result.js';
import type { StepFailure, StepFailureDetail } from './step-outcome.js';

const MAX_EXAMPLES = 3;

class StepStats {
  requests = 0;
  ok = 0;
  readonly latency = createTotalHistogram();
  readonly statusCodes: Record<string, number> = {};
  readonly failures: Partial<Record<StepFailure, number>> = {};
  /** The first few distinct failure messages, each with how many failures had it. */
  readonly examples = new Map<string, number>();
  constructor(
    readonly flow: string,
    readonly step: string,
    readonly method: string,
  ) {}
}

class FlowStats {
  started = 0;
  ok = 0;
  failed = 0;
  readonly duration = createTotalHistogram();
  readonly failedAt: Record<string, number> = {};
  constructor(
    readonly name: string,
    readonly weight: number,
  ) {}
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const ms = (us: number) => Math.round(us) / 1000;

/**
 * Counts and HDR histograms of a scenario run: per step, per flow, in
 * total and per second. Only successful requests and flows enter the
 * latency histograms; failures are counted by reason, so a fast failure
 * never makes the latency look better.
 */
export class ScenarioMetrics {
  readonly #steps = new Map<string, StepStats>();
  readonly #flows = new Map<string, FlowStats>();
  readonly #all = createTotalHistogram();
  #second = { flowsStarted: 0, flowsOk: 0, flowsFailed: 0, requests: 0, requestsFailed: 0 };
  #secondFlows: LatencyHistogram = createHistogram();
  #secondRequests: LatencyHistogram = createHistogram();
  readonly series: ScenarioSeriesPoint[] = [];
  /** `Retry-After`, `RateLimit-*`, `X-RateLimit-*` of the 429s (lowercase name → first value seen). */
  readonly rateLimit: Record<string, string> = {};

  constructor(flows: readonly { name: string; weight: number }[]) {
    for (const f of flows) this.#flows.set(f.name, new FlowStats(f.name, f.weight));
  }

  #step(flow: string, step: string, method: string): StepStats {
    const key = `${flow}.${step}`;
    let stats = this.#steps.get(key);
    if (!stats) {
      stats = new StepStats(flow, step, method);
      this.#steps.set(key, stats);
    }
    return stats;
  }

  /** A step's request succeeded (`status` and checks passed) after `latencyMs`. */
  stepOk(flow: string, step: string, method: string, status: number, latencyMs: number): void {
    const s = this.#step(flow, step, method);
    s.requests++;
    s.ok++;
    s.statusCodes[status] = (s.statusCodes[status] ?? 0) + 1;
    // toMicros gives whole µs in the histograms' range, which recordMicros records as recordValue would.
    const us = toMicros(latencyMs);
    recordMicros(s.latency, us);
    if (flow !== 'setup' && flow !== 'teardown') {
      recordMicros(this.#all, us);
      recordMicros(this.#secondRequests, us);
      this.#second.requests++;
    }
  }

  /** Keeps the rate-limit headers of a 429 (the first value of each name). */
  rateLimitHeaders(headers: Readonly<Record<string, string>>): void {
    for (const [name, value] of Object.entries(headers)) {
      if (isRateLimitHeader(name)) this.rateLimit[name] ??= value;
    }
  }

  /** A step failed; `status` when a response arrived. */
  stepFailed(flow: string, step: string, method: string, failure: StepFailureDetail, status?: number): void {
    const s = this.#step(flow, step, method);
    s.requests++;
    if (status !== undefined) s.statusCodes[status] = (s.statusCodes[status] ?? 0) + 1;
    s.failures[failure.reason] = (s.failures[failure.reason] ?? 0) + 1;
    // Distinct messages with a count: a 429 on every request is one example seen N times, not N examples.
    const seen = s.examples.get(failure.message);
    if (seen !== undefined) s.examples.set(failure.message, seen + 1);
    else if (s.examples.size < MAX_EXAMPLES) s.examples.set(failure.message, 1);
    if (flow !== 'setup' && flow !== 'teardown') {
      this.#second.requests++;
      this.#second.requestsFailed++;
    }
  }

  flowStarted(flow: string): void {
    this.#flows.get(flow)!.started++;
    this.#second.flowsStarted++;
  }

  flowOk(flow: string, durationMs: number): void {
    const f = this.#flows.get(flow)!;
    f.ok++;
    const us = toMicros(durationMs);
    recordMicros(f.duration, us);
    recordMicros(this.#secondFlows, us);
    this.#second.flowsOk++;
  }

  flowFailed(flow: string, atStep: string): void {
    const f = this.#flows.get(flow)!;
    f.failed++;
    f.failedAt[atStep] = (f.failedAt[atStep] ?? 0) + 1;
    this.#second.flowsFailed++;
  }

  /** Closes one second of the series. */
  tick(vusBusy: number): ScenarioSeriesPoint {
    // One pass over each histogram's buckets for both percentiles (zeros when empty).
    const [flowP50, flowP99] = percentilesUs(this.#secondFlows, [50, 99]).map(ms);
    const [requestP50, requestP99] = percentilesUs(this.#secondRequests, [50, 99]).map(ms);
    const point: ScenarioSeriesPoint = {
      second: this.series.length + 1,
      ...this.#second,
      flowP50: flowP50!,
      flowP99: flowP99!,
      requestP50: requestP50!,
      requestP99: requestP99!,
      vusBusy,
    };
    this.series.push(point);
    this.#second = { flowsStarted: 0, flowsOk: 0, flowsFailed: 0, requests: 0, requestsFailed: 0 };
    this.#secondFlows.reset();
    this.#secondRequests.reset();
    return point;
  }

  /** Per-step results; `seconds` is the measured duration. */
  stepResults(seconds: number): StepResult[] {
    return [...this.#steps.entries()].map(([name, s]) => {
      const failed = s.requests - s.ok;
      return {
        name,
        flow: s.flow,
        step: s.step,
        method: s.method,
        requests: s.requests,
        ok: s.ok,
        failed,
        errorRate: s.requests ? round((failed / s.requests) * 100, 3) : 0,
        rps: seconds > 0 ? round(s.requests / seconds) : 0,
        latency: summarize(s.latency),
        statusCodes: s.statusCodes,
        failures: s.failures,
        examples: [...s.examples.keys()],
        exampleCounts: Object.fromEntries(s.examples),
      };
    });
  }

  /** Per-flow results. */
  flowResults(seconds: number): FlowResult[] {
    return [...this.#flows.values()].map((f) => ({
      name: f.name,
      weight: f.weight,
      started: f.started,
      ok: f.ok,
      failed: f.failed,
      successRate: f.ok + f.failed ? round((f.ok / (f.ok + f.failed)) * 100, 3) : 0,
      okPerSecond: seconds > 0 ? round(f.ok / seconds) : 0,
      duration: summarize(f.duration),
      failedAt: f.failedAt,
    }));
  }

  /** Latency of every successful request of the flows (setup and teardown excluded). */
  allLatency() {
    return summarize(this.#all);
  }
}
