// Imported by the load worker: keep this module free of zod and the rest of the CLI's imports.
/** An event-loop delay histogram's figures ({@link import('node:perf_hooks').IntervalHistogram}, ns). */
export interface LagFigures {
  count: number;
  mean: number;
  stddev: number;
}

/**
 * The mean delay an answer met because the event loop was stalled, ms, from
 * a 1 ms-resolution lag histogram over `wallMs`. A response that arrives
 * while the loop is stalled waits for the stall to end: with stalls of
 * lengths sᵢ over the wall time W, a response arriving at a uniformly
 * random moment waits Σ sᵢ² / (2W) on average. The samples' mean and
 * deviation give Σ sᵢ² without keeping them.
 */
export function stallDelayMs(lag: LagFigures, wallMs: number): number {
  if (lag.count === 0 || wallMs <= 0) return 0;
  const stallMean = Math.max(0, lag.mean / 1e6 - 1);
  const stallSd = lag.stddev / 1e6;
  return (lag.count * (stallSd * stallSd + stallMean * stallMean)) / (2 * wallMs);
}
