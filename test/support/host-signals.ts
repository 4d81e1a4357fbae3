import type { HostSignals, ServerSignals } from '../../src/core/signals/server-signals.js';

/** How {@link hostSignals} shapes the machine's series. */
export interface HostShape {
  /** CPUs of the machine (default 2). */
  cpus?: number;
  /** Runnable threads, each second (default 3). */
  running?: number;
  /** One-second points (default 10). */
  seconds?: number;
  /** Alternate each second's busy share by ± this around `busy`, as a real series does (default 0). */
  jitter?: number;
}

/**
 * The machine's CPU series as the host sampler reports it: `busy` is the
 * share of all CPUs in use (0–1), its mean over the run.
 */
export function hostSignals(busy: number, shape: HostShape = {}): HostSignals {
  const { cpus = 2, running = 3, seconds = 10, jitter = 0 } = shape;
  return {
    cpus,
    notes: [],
    series: Array.from({ length: seconds }, (_, i) => ({
      second: i + 1,
      busy: Math.min(1, busy + (i % 2 ? jitter : -jitter)),
      busyCores: busy * cpus,
      running,
      load1: running,
    })),
  };
}

/** Server signals with only the machine sampled (no database, process or metrics). */
export function hostOnlySignals(busy: number, shape: HostShape = {}): ServerSignals {
  return { intervalMs: 1000, db: null, process: null, metrics: null, host: hostSignals(busy, shape) };
}
