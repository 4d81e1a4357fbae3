import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by `tenon load`. */
export const loadErrorCodes = {
  TENON_LOAD_OPTIONS_INVALID: {
    kind: 'usage',
    summary: 'The load options contradict each other or have invalid values.',
  },
  TENON_LOAD_URL_INVALID: {
    kind: 'usage',
    summary: 'A target is not an http:// URL.',
  },
  TENON_LOAD_REQUEST_INVALID: {
    kind: 'usage',
    summary: 'The method, a header or the body file cannot form a valid HTTP request.',
  },
  TENON_LOAD_THRESHOLD_INVALID: {
    kind: 'usage',
    summary: 'A --threshold expression cannot be parsed.',
  },
  TENON_LOAD_SLO_INVALID: {
    kind: 'usage',
    summary:
      'The --slo of a capacity search is not a list of latency percentiles with upper limits (and an optional errors<N%).',
  },
  TENON_LOAD_CAPACITY_INVALID: {
    kind: 'usage',
    summary:
      'A capacity search option is missing or invalid (--max-rate, rates, repeats, confidence), or clashes with --find-capacity.',
  },
  TENON_LOAD_WORKER_FAILED: {
    kind: 'runtime',
    summary: 'A load worker thread failed (a bug in tenon, not in the server under test).',
  },
  TENON_LOAD_OUTPUT_INVALID: {
    kind: 'usage',
    summary: 'The --out or --html path cannot be written (checked before the run starts).',
  },
  TENON_LOAD_OUTPUT_FAILED: {
    kind: 'runtime',
    summary: 'The --out or --html file could not be written.',
  },
  TENON_LOAD_PID_INVALID: {
    kind: 'usage',
    summary: 'The --pid process cannot be read from /proc (not running, or not Linux).',
  },
  TENON_LOAD_METRICS_UNREADABLE: {
    kind: 'usage',
    summary: 'The --metrics endpoint did not answer with a Prometheus text exposition before the run.',
  },
  TENON_LOAD_SIGNALS_TIMEOUT: {
    kind: 'runtime',
    summary:
      'The --db database (or another signal source) did not answer its first reading in time; no load was sent.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
