/** Whether the process is too busy to take more work. */
export interface OverloadGuard {
  /** True while the last window's, or the current window's, worst event-loop delay is above the limit. */
  overloaded(): boolean;
  close(): void;
}

const TICK_MS = 10;
const WINDOW_MS = 500;

/**
 * Measures the event-loop delay with a 10 ms timer (how late each tick runs) and keeps the worst delay of
 * 500 ms windows; while the worst delay of the last or the current window exceeds `maxDelayMs`, requests
 * are answered 503 with Retry-After instead of queueing behind work the process cannot finish in time.
 * `maxDelayMs` 0 turns it off.
 *
 * A timer of our own rather than `perf_hooks.monitorEventLoopDelay`: the histogram records nothing for
 * its first tick, so a block that starts right after it is enabled is never seen, and the request that
 * follows the block must see it (timers run before the I/O that carries that request).
 *
 * Measuring starts with the first request asked about: the process's own start (compiling modules and
 * schemas, a busy machine's slow boot) blocks the loop too, and a server that just became ready must not
 * shed its first requests for it.
 */
export function createOverloadGuard(maxDelayMs: number): OverloadGuard {
  if (maxDelayMs <= 0) return { overloaded: () => false, close: () => undefined };
  let timer: NodeJS.Timeout | undefined;
  let lastWindowMs = 0;
  let currentMs = 0;
  const start = () => {
    let last = Date.now();
    let windowStart = last;
    timer = setInterval(() => {
      const now = Date.now();
      currentMs = Math.max(currentMs, now - last - TICK_MS);
      last = now;
      if (now - windowStart >= WINDOW_MS) {
        lastWindowMs = currentMs;
        currentMs = 0;
        windowStart = now;
      }
    }, TICK_MS);
    timer.unref();
  };
  let closed = false;
  return {
    overloaded() {
      if (!timer && !closed) start();
      return Math.max(lastWindowMs, currentMs) > maxDelayMs;
    },
    close() {
      closed = true;
      clearInterval(timer);
    },
  };
}
