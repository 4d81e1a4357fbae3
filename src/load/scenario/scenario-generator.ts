import { type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { judgeGenerator, type MaxLateness, type OwnDelay } from '../generator-check.js';
import { createHistogram, recordMicros, toMicros } from '../histogram.js';
import { type LatencySummary, summarize } from '../histogram-summary.js';
import { stallDelayMs } from '../stall-delay.js';
import { LATENESS_FLOOR_MS } from '../worker-protocol.js';

/** How a scenario run's generator (the calling thread) kept up. */
export interface ScenarioGeneratorFigures {
  /** True when its own delay exceeded the tolerance (open model): the figures are the client's as much as the target's. */
  saturated: boolean;
  reasons: string[];
  /**
   * Open model: the own delay per request — flow starts that left late with a
   * virtual user free (beyond the timers' millisecond) spread over the
   * flows' requests, plus answers that waited for a stalled event loop —
   * and its share of the mean step latency plus that delay; null in the
   * closed model.
   */
  ownDelay: OwnDelay | null;
  /** How late flows started when a virtual user was free, ms (open model; null in the closed model). */
  startDelay: LatencySummary | null;
  /** Event-loop lag beyond the 1 ms sampling interval, ms. */
  eventLoopLag: { mean: number; p99: number; max: number };
  /** Share of the run the event loop was busy, 0–1. */
  utilization: number;
  /** CPU of the whole process over wall time, cores. */
  cpuCores: number;
}

/** Open model: a runner whose event loop was busy this share of the run (or more) is saturated. */
export const BUSY_LOOP = 0.9;

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Watches the thread that runs a scenario, as the plain engine's workers
 * watch themselves: how late flows started against their schedule when a
 * user was free to start them, the event loop's stalls, its utilization and
 * the process's CPU. Scenarios run on the calling thread, so a busy machine
 * or a heavy scenario (large bodies, many extractions) delays them the same
 * way; without this a scenario's latencies could not be trusted.
 */
export class ScenarioGeneratorWatch {
  readonly #lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  readonly #startDelay = createHistogram();
  #ownMs = 0;
  #elu = performance.eventLoopUtilization();
  #cpu = process.cpuUsage();
  #wallStart = 0;

  /** Starts watching (at the start of measurement). */
  begin(): void {
    this.#lag.enable();
    this.#elu = performance.eventLoopUtilization();
    this.#cpu = process.cpuUsage();
    this.#wallStart = performance.now();
  }

  /** Open model: a flow started `delayMs` after its intended start, on a user that was free. */
  flowStarted(delayMs: number): void {
    recordMicros(this.#startDelay, toMicros(Math.max(0, delayMs)));
    if (delayMs > LATENESS_FLOOR_MS) this.#ownMs += delayMs - LATENESS_FLOOR_MS;
  }

  /**
   * Stops watching and judges the run: `latency` is the step latency of the
   * successful requests, `requests` how many the flows sent, `open` whether
   * flows had a schedule to keep.
   */
  finish(inputs: {
    open: boolean;
    latency: LatencySummary;
    requests: number;
    max: MaxLateness;
  }): ScenarioGeneratorFigures {
    const wall = performance.now() - this.#wallStart;
    this.#lag.disable();
    const lag = this.#lag;
    const elu = performance.eventLoopUtilization(this.#elu);
    const cpu = process.cpuUsage(this.#cpu);
    const lagMs = (v: number) => Math.max(0, round(v / 1e6 - 1));
    const figures = {
      eventLoopLag: {
        mean: lag.count ? lagMs(lag.mean) : 0,
        p99: lag.count ? lagMs(lag.percentile(99)) : 0,
        max: lag.count ? lagMs(lag.max) : 0,
      },
      utilization: round(elu.utilization),
      cpuCores: wall > 0 ? round((cpu.user + cpu.system) / 1000 / wall, 2) : 0,
    };
    if (!inputs.open) return { saturated: false, reasons: [], ownDelay: null, startDelay: null, ...figures };
    const stall = stallDelayMs(lag, wall);
    // A late start delays the flow's first request only; spread over all requests it is each one's share.
    const sendMs = inputs.requests > 0 ? this.#ownMs / inputs.requests : 0;
    const startDelay = summarize(this.#startDelay);
    // Step latencies run from the write: an answer that waited for a stalled loop is inside them, a
    // late start is not. The latency a user saw is the step's plus the late start, and the share is
    // taken of that sum.
    const judged = judgeGenerator({
      seen: {
        count: inputs.latency.count,
        mean: inputs.latency.mean === null ? null : inputs.latency.mean + sendMs,
        p99: inputs.latency.p99,
      },
      ownSendMs: sendMs,
      stallDelayMs: stall,
      // No flow started: none started late.
      latenessP99Ms: startDelay.p99 ?? 0,
      max: inputs.max,
    });
    const reasons = [...judged.reasons];
    // The stall estimate assumes an idle loop between stalls. A loop busy nearly all the time queues
    // every answer behind other work, so its timestamps are late by more than the stalls say (seen:
    // 96 % busy, an own delay of 17 % by the estimate, step p95 516 ms against a 1 ms server).
    if (figures.utilization >= BUSY_LOOP)
      reasons.push(
        `the runner's event loop was busy ${Math.round(figures.utilization * 100)}% of the run: answers queued behind other work, so their times are the runner's as much as the target's`,
      );
    return {
      saturated: reasons.length > 0,
      reasons,
      ownDelay: judged.ownDelay,
      startDelay,
      ...figures,
    };
  }
}
