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
 *
 * Sampling starts with the first request asked about: the process's own
 * start (compiling modules and schemas, a busy machine's slow boot) blocks
 * the loop too, and a server that just became ready must not shed its first
 * requests for it.
 */
export function createOverloadGuard(maxDelayMs: number): OverloadGuard {
  if (maxDelayMs <= 0) return { overloaded: () => false, close: () => undefined };
  let histogram: IntervalHistogram | undefined;
  let timer: NodeJS.Timeout | undefined;
  let delayMs = 0;
  const start = () => {
    const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    h.enable();
    histogram = h;
    let expected = Date.now() + SAMPLE_MS;
    timer = setInterval(() => {
      // The histogram's own timer may not have run yet after a long block; this timer's lateness
      // is the same delay seen from here, so the worse of the two counts.
      const now = Date.now();
      delayMs = Math.max(0, h.max / 1e6 - RESOLUTION_MS, now - expected);
      expected = now + SAMPLE_MS;
      h.reset();
    }, SAMPLE_MS);
    timer.unref();
  };
  let closed = false;
  return {
    overloaded() {
      if (!histogram && !closed) start();
      return delayMs > maxDelayMs;
    },
    close() {
      closed = true;
      clearInterval(timer);
      histogram?.disable();
    },
  };
}
