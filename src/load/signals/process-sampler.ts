import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { TenonError } from '../../core/errors.js';
import { parseProcessStat, TICKS_PER_SECOND } from '../../core/signals/proc-stat.js';
import type { ProcessSignalPoint, ProcessSignals, SignalSource } from '../../core/signals/server-signals.js';

const PAGE_BYTES = 4096;

interface Reading {
  at: number;
  /** CPU of all threads, ms. */
  cpuMs: number;
  /** Main thread: time on a CPU and time waiting on a run queue, ms (ns precision). */
  mainMs: number;
  waitMs: number;
  rssMb: number;
}

async function read(pid: number): Promise<Reading & { name: string }> {
  const [stat, sched] = await Promise.all([
    readFile(`/proc/${pid}/stat`, 'utf8'),
    readFile(`/proc/${pid}/task/${pid}/schedstat`, 'utf8'),
  ]);
  const f = parseProcessStat(stat);
  const [runNs, waitNs] = sched.trim().split(' ').map(Number);
  return {
    at: performance.now(),
    name: f.name,
    cpuMs: (f.cpuTicks * 1000) / TICKS_PER_SECOND,
    mainMs: (runNs ?? 0) / 1e6,
    waitMs: (waitNs ?? 0) / 1e6,
    rssMb: (f.rssPages * PAGE_BYTES) / 1048576,
  };
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Samples a local process's CPU from Linux's /proc: all threads (`stat`),
 * and its main thread apart (`task/PID/schedstat`: time on a CPU and time
 * runnable but waiting for one). The main thread is where a Node app runs
 * its JavaScript: near one core busy there means the event loop is
 * saturated, whatever the other threads do; time waiting for a CPU means
 * the machine, not the app, was short of cores.
 *
 * @throws TenonError `TENON_LOAD_PID_INVALID` (from `start`) when the process cannot be read
 */
export function createProcessSampler(pid: number): SignalSource<ProcessSignals> {
  const series: ProcessSignalPoint[] = [];
  const notes: string[] = [];
  let last: Reading | undefined;
  let name = '';
  let gone = false;
  return {
    async start() {
      try {
        const first = await read(pid);
        name = first.name;
        last = first;
      } catch (cause) {
        throw new TenonError(
          'TENON_LOAD_PID_INVALID',
          `Cannot read /proc/${pid}: ${(cause as Error).message}`,
          {
            cause,
            hint: 'Give the pid of a running process on this machine (Linux), e.g. --pid $(pgrep -f "node dist/server.js").',
          },
        );
      }
    },
    async sample(second) {
      if (gone || !last) return;
      try {
        const now = await read(pid);
        const wall = Math.max(1, now.at - last.at);
        // Second 0 (the start of measurement) only sets the baseline.
        if (second > 0)
          series.push({
            second: round(second),
            cpu: round(Math.max(0, now.cpuMs - last.cpuMs) / wall),
            mainThreadCpu: round(Math.max(0, now.mainMs - last.mainMs) / wall),
            mainThreadWaiting: round(Math.max(0, now.waitMs - last.waitMs) / wall),
            rssMb: round(now.rssMb, 1),
          });
        last = now;
      } catch (error) {
        gone = true;
        notes.push(
          `process ${pid} could not be read at ${round(second, 1)} s (${(error as Error).message}): it exited?`,
        );
      }
    },
    async finish() {
      return { pid, name, series, notes };
    },
    async close() {},
  };
}
