import type { SeriesPoint } from './load-result.js';

/** A second of measurement, as the `progress` event reports it. */
export interface LoadProgress {
  /** Seconds of measurement so far. */
  elapsedSeconds: number;
  /** Planned seconds of measurement (undefined when only `requests` bounds the run). */
  plannedSeconds: number | undefined;
  /** The second that just closed. */
  point: SeriesPoint;
  /** Requests that ended so far, and errors among them. */
  requests: number;
  errors: number;
  /** p99 so far (corrected in the open model), ms. */
  p99: number;
}

/** Progress of {@link runLoad}, passed to its `onEvent` option. */
export type LoadEvent =
  /** Every worker is ready; warmup (or, without warmup, measurement) starts now. */
  | {
      type: 'run-start';
      model: 'open' | 'closed';
      workers: number;
      warmupMs: number;
      /** Planned measurement, ms (undefined when only `requests` bounds the run). */
      durationMs: number | undefined;
    }
  /** Once per second of measurement. */
  | { type: 'progress'; progress: LoadProgress };
