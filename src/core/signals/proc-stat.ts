/*
 * Readers of Linux's /proc for the load run's signals: the machine's CPU
 * (/proc/stat, /proc/loadavg) and one process's CPU (/proc/PID/stat). In
 * core because two parts read them: load samples the machine, analyze the
 * database server's processes when it runs on this machine.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc times (USER_HZ: 100 on Linux, fixed by the kernel ABI). */
export const TICKS_PER_SECOND = 100;

/** One reading of the machine's CPU counters. */
export interface HostCpuReading {
  /** Online CPUs (`cpuN` lines). */
  cpus: number;
  /** Ticks of all CPUs that were busy (everything but idle and iowait), and in all. */
  busyTicks: number;
  totalTicks: number;
  /** Runnable threads now (`procs_running`). */
  running: number;
  /** One-minute load average. */
  load1: number;
  /** Boot time, seconds since the epoch (`btime`). */
  bootTime: number;
}

/** Parses /proc/stat and /proc/loadavg texts (apart, so tests can give their own). */
export function parseHostCpu(stat: string, loadavg: string): HostCpuReading {
  let cpus = 0;
  let busyTicks = 0;
  let totalTicks = 0;
  let running = 0;
  let bootTime = 0;
  for (const line of stat.split('\n')) {
    // Only these lines matter; the others (intr: thousands of counters) are not split into words.
    if (!line.startsWith('cpu') && !line.startsWith('procs_running') && !line.startsWith('btime')) continue;
    const [key, ...rest] = line.trim().split(/\s+/);
    if (key === 'cpu') {
      // user nice system idle iowait irq softirq steal guest guest_nice: guest time is already in user.
      const v = rest.slice(0, 8).map(Number);
      totalTicks = v.reduce((a, b) => a + b, 0);
      busyTicks = totalTicks - (v[3] ?? 0) - (v[4] ?? 0);
    } else if (key && /^cpu\d+$/.test(key)) cpus++;
    else if (key === 'procs_running') running = Number(rest[0]);
    else if (key === 'btime') bootTime = Number(rest[0]);
  }
  return {
    cpus: Math.max(1, cpus),
    busyTicks,
    totalTicks,
    running,
    load1: Number(loadavg.split(' ')[0]) || 0,
    bootTime,
  };
}

/**
 * Reads the machine's CPU counters. Synchronous on purpose: the load run's
 * main thread reads them every second, and two small procfs files are
 * generated in memory by the kernel, never waiting on a disk — a blocking
 * read costs less than the thread-pool round trips of fs/promises.
 * @throws the read error off Linux
 */
export function readHostCpu(): HostCpuReading {
  return parseHostCpu(readFileSync('/proc/stat', 'utf8'), readFileSync('/proc/loadavg', 'utf8'));
}

/** One process's figures from /proc/PID/stat. */
export interface ProcessStat {
  /** `comm`: the executable's name (e.g. `postgres`, `node`). */
  name: string;
  ppid: number;
  /** CPU of its threads (utime + stime), ticks. */
  cpuTicks: number;
  /** CPU of its waited-for children that exited (cutime + cstime), ticks. */
  childTicks: number;
  /** When it started, ticks after boot. */
  startTicks: number;
  /** Resident set size, pages. */
  rssPages: number;
}

/** Parses the text of /proc/PID/stat. */
export function parseProcessStat(stat: string): ProcessStat {
  const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  // Fields after the command name (which may hold spaces and parentheses) start at "state" (field 3).
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    name,
    ppid: Number(f[1]),
    cpuTicks: Number(f[11]) + Number(f[12]),
    childTicks: Number(f[13]) + Number(f[14]),
    startTicks: Number(f[19]),
    rssPages: Number(f[21]),
  };
}

/** Reads /proc/PID/stat; undefined when the process is gone (or not visible from here). */
export async function readProcessStat(pid: number): Promise<ProcessStat | undefined> {
  try {
    return parseProcessStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}
