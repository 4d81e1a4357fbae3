import { readFileSync } from 'node:fs';
import { parseProcessStat, TICKS_PER_SECOND } from '../core/signals/proc-stat.js';

/**
 * CPU time (user + system, ms) of the calling thread, from Linux's
 * `/proc/thread-self/stat`; `undefined` elsewhere. Node 20 has no per-thread
 * CPU clock, and `process.cpuUsage()` counts every thread of the process.
 */
export function threadCpuMs(): number | undefined {
  try {
    const ticks = parseProcessStat(readFileSync('/proc/thread-self/stat', 'utf8')).cpuTicks;
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}
