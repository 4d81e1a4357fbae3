import { type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { encodeHistogram } from './encoded-histogram.js';
import { createHistogram, type LatencyHistogram, recordMicros, toMicros } from './histogram.js';
import { IntervalRecorder } from './interval-recorder.js';
import { stallDelayMs } from './stall-delay.js';
import { threadCpuMs } from './thread-cpu.js';
import {
  type DoneMessage,
  type IntervalMessage,
  LATENESS_FLOOR_MS,
  type WorkerPlan,
} from './worker-protocol.js';

/** The closed model's event-loop lag sampling interval, ms (the open model samples every 1 ms). */
export const CLOSED_LAG_RESOLUTION_MS = 10;

/**
 * A worker's bookkeeping beside the requests themselves: the per-endpoint
 * interval recorders, the schedule figures (send delay, late and queued
 * sends), connections in use, and the generator watching itself (event-loop
 * lag and utilization). It posts an {@link IntervalMessage} every second of
 * measurement and a {@link DoneMessage} at the end.
 */
export class WorkerMonitor {
  readonly recorders: IntervalRecorder[];
  /** Connections opened, in total. */
  opened = 0;
  /** When the last measured request ended (ms on the common axis). */
  lastCompletion = 0;
  readonly #plan: WorkerPlan;
  readonly #post: (message: IntervalMessage | DoneMessage) => void;
  readonly #openConnections: () => number;
  readonly #sendDelay: LatencyHistogram | null;
  // The delay of sends that had a connection free: the generator's own lateness.
  readonly #lateness: LatencyHistogram | null;
  // The generator's own send delay beyond the timer's granularity, summed (ms), over `#sends` sends.
  #ownSendMs = 0;
  #sends = 0;
  // Lag is the delay of a timer beyond its interval, sampled during measurement only: every 1 ms in
  // the open model, whose verdict estimates stalls from it (stall-delay.ts); every 10 ms in the
  // closed model, where it is evidence only and a 1 ms timer cost an otherwise idle worker ~5 % of
  // its CPU on a busy machine (1,000 wake-ups a second).
  readonly #lagResolutionMs: number;
  readonly #lag: IntervalHistogram;
  #elu = performance.eventLoopUtilization();
  #cpuStart: { cpu: number | undefined; wall: number } = { cpu: undefined, wall: 0 };
  #late = 0;
  #queued = 0;
  #inUse = 0;
  #peakInUse = 0;
  #second = 0;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    plan: WorkerPlan,
    post: (message: IntervalMessage | DoneMessage) => void,
    openConnections: () => number,
  ) {
    this.#plan = plan;
    this.#post = post;
    this.#openConnections = openConnections;
    const open = plan.model === 'open';
    this.#lagResolutionMs = open ? 1 : CLOSED_LAG_RESOLUTION_MS;
    this.#lag = monitorEventLoopDelay({ resolution: this.#lagResolutionMs });
    this.recorders = plan.targets.map(() => new IntervalRecorder(open));
    this.#sendDelay = open ? createHistogram() : null;
    this.#lateness = open ? createHistogram() : null;
  }

  /** Connections carrying a request right now. */
  get inUse(): number {
    return this.#inUse;
  }

  /** A connection took a request. */
  acquire(): void {
    if (++this.#inUse > this.#peakInUse) this.#peakInUse = this.#inUse;
  }

  /** A connection finished its request (answer or failure). */
  release(): void {
    this.#inUse--;
  }

  /**
   * Open model: records how late a measured send left (ms). `queued` sends
   * waited for a connection; the others are late only beyond the bound.
   */
  sendDelay(delayMs: number, queued: boolean): void {
    const us = toMicros(delayMs);
    recordMicros(this.#sendDelay!, us);
    if (queued) {
      this.#queued++;
      return;
    }
    recordMicros(this.#lateness!, us);
    if (delayMs > this.#plan.lateBoundMs) this.#late++;
    this.#sends++;
    if (delayMs > LATENESS_FLOOR_MS) this.#ownSendMs += delayMs - LATENESS_FLOOR_MS;
  }

  /** Starts measuring: lag, utilization and the per-second flushes, aligned to `measureStart`. */
  begin(now: () => number, measureStart: number): void {
    this.#lag.enable();
    this.#elu = performance.eventLoopUtilization();
    this.#cpuStart = { cpu: threadCpuMs(), wall: performance.now() };
    const schedule = () => {
      const at = measureStart + (this.#second + 1) * 1000;
      this.#timer = setTimeout(
        () => {
          this.#flush(1000);
          this.#second++;
          schedule();
        },
        Math.max(0, at - now()),
      );
    };
    schedule();
  }

  /** Posts the last (partial) interval and the worker's report. */
  finish(now: number, measureStart: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    const elu = performance.eventLoopUtilization(this.#elu);
    const cpuEnd = threadCpuMs();
    const wall = performance.now() - this.#cpuStart.wall;
    const cpu =
      cpuEnd === undefined || this.#cpuStart.cpu === undefined || wall <= 0
        ? null
        : Math.round(((cpuEnd - this.#cpuStart.cpu) / wall) * 1000) / 1000;
    this.#lag.disable();
    const span = now - (measureStart + this.#second * 1000);
    this.#flush(Math.min(1000, Math.max(1, span)));
    const lag = this.#lag;
    const resolution = this.#lagResolutionMs;
    const stall = resolution === 1 ? stallDelayMs(lag, wall) : 0;
    const lagMs = (p: number | 'mean') => {
      const v = lag.count > 0 ? (p === 'mean' ? lag.mean : p === 100 ? lag.max : lag.percentile(p)) : 0;
      return Math.max(0, Math.round((v / 1e6 - resolution) * 1000) / 1000);
    };
    this.#post({
      type: 'done',
      worker: this.#plan.index,
      lag: { mean: lagMs('mean'), p50: lagMs(50), p99: lagMs(99), max: lagMs(100) },
      stallDelayMs: Math.round(stall * 1000) / 1000,
      ownSend: { delayMs: this.#ownSendMs, sends: this.#sends },
      utilization: Math.round(elu.utilization * 1000) / 1000,
      cpu,
      connectionsOpened: this.opened,
      endedAtMs: Math.max(0, this.lastCompletion - measureStart),
    });
  }

  /** Posts the current interval; `spanMs` is its length (shorter for the last one). */
  #flush(spanMs: number): void {
    const message: IntervalMessage = {
      type: 'interval',
      worker: this.#plan.index,
      second: this.#second,
      spanMs,
      targets: this.recorders.map((r) => r.flush()),
      sendDelay: this.#sendDelay ? encodeHistogram(this.#sendDelay) : null,
      lateness: this.#lateness ? encodeHistogram(this.#lateness) : null,

      late: this.#late,
      queued: this.#queued,
      peakInUse: this.#peakInUse,
      open: this.#openConnections(),
    };
    this.#sendDelay?.reset();
    this.#lateness?.reset();

    this.#late = 0;
    this.#queued = 0;
    this.#peakInUse = this.#inUse;
    this.#post(message);
  }
}
