import { performance } from 'node:perf_hooks';
import { type HostCpuReading, readHostCpu } from '../../core/signals/proc-stat.js';
import type { HostSignalPoint, HostSignals, SignalSource } from '../../core/signals/server-signals.js';

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

/** True where the machine's CPU can be read (/proc/stat: Linux). */
export function canSampleHost(): boolean {
  return process.platform === 'linux';
}

/**
 * Samples the whole machine's CPU from /proc/stat and /proc/loadavg: the
 * busy share of all CPUs per interval and the runnable threads at each
 * sample. Two file reads a second, nothing written: it runs on every Linux
 * run, because a verdict on a saturated machine must know it is one — the
 * app, the database and the generator all share these cores when the
 * target is local. A read that fails becomes a note (never a failed run).
 */
export function createHostSampler(read: () => HostCpuReading = readHostCpu): SignalSource<HostSignals> {
  const series: HostSignalPoint[] = [];
  const notes: string[] = [];
  let last: (HostCpuReading & { at: number }) | undefined;
  let cpus = 0;
  let failed = false;
  const take = () => ({ ...read(), at: performance.now() });
  return {
    async start() {
      try {
        last = take();
        cpus = last.cpus;
      } catch (error) {
        failed = true;
        notes.push(`the machine's CPU cannot be read (${(error as Error).message})`);
      }
    },
    async sample(second) {
      if (failed || !last) return;
      try {
        const now = take();
        const ticks = now.totalTicks - last.totalTicks;
        // Second 0 (the start of measurement) only sets the baseline; an interval shorter than a tick has no figure.
        if (second > 0 && ticks > 0) {
          const busy = Math.min(1, Math.max(0, (now.busyTicks - last.busyTicks) / ticks));
          series.push({
            second: round(second),
            busy: round(busy),
            busyCores: round(busy * now.cpus, 2),
            running: now.running,
            load1: now.load1,
          });
        }
        if (second <= 0 || ticks > 0) last = now;
      } catch (error) {
        failed = true;
        notes.push(
          `the machine's CPU could not be read at ${round(second, 1)} s (${(error as Error).message})`,
        );
      }
    },
    async finish() {
      return { cpus, series, notes };
    },
    async close() {},
  };
}
