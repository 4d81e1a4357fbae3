import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/** Whether the process is too busy to take more work. */
export interface OverloadGuard {
  /** True while the last sample's event-loop delay was above the limit. */
  overloaded(): boolean;
  close(): void;
}

const SAMPLE_MS = 500;
const RESOLUTION_MS = 10;

/**
 * Samples the event-loop delay (`perf_hooks.monitorEventLoopDelay`, and the
 * lateness of the sampling timer itself) every 500 ms; while the worst delay of the last sample exceeds `maxDelayMs`,
 * requests are answered 503 with Retry-After instead of queueing behind
 * work the process cannot finish in time. `maxDelayMs` 0 turns it off.
 */
export function createOverloadGuard(maxDelayMs: number): OverloadGuard {
  if (maxDelayMs <= 0) return { overloaded: () => false, close: () => undefined };
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let delayMs = 0;
  let expected = Date.now() + SAMPLE_MS;
  const timer = setInterval(() => {
    // The histogram's own timer may not have run yet after a long block; this timer's lateness
    // is the same delay seen from here, so the worse of the two counts.
    const now = Date.now();
    delayMs = Math.max(0, histogram.max / 1e6 - RESOLUTION_MS, now - expected);
    expected = now + SAMPLE_MS;
    histogram.reset();
  }, SAMPLE_MS);
  timer.unref();
  return {
    overloaded: () => delayMs > maxDelayMs,
    close() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
