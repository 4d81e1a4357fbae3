import { performance } from 'node:perf_hooks';
import type { Database } from '../../core/db/index.js';
import {
  type HostCpuReading,
  readHostCpu,
  readProcessStat,
  TICKS_PER_SECOND,
} from '../../core/signals/proc-stat.js';
import type { DbSignals } from '../../core/signals/server-signals.js';
import { TAG } from '../sql-text.js';

/**
 * Whether a `postgres://` URL reaches a server on this machine: a loopback
 * address (127.0.0.0/8, ::1, localhost) or a unix socket (`host=/path`, or
 * no host at all, which the driver resolves locally). Not proof: a loopback
 * port may be a container's or a tunnel's, which {@link probeServerCpu} checks.
 */
export function isLocalDatabaseUrl(url: string): boolean {
  // A socket directory in the query, or no host at all (`postgres://user@/db`, which URL cannot parse).
  if (/[?&]host=(\/|%2F)/i.test(url) || /^postgres(ql)?:\/\/([^@/?]*@)?(\/|\?|$)/i.test(url)) return true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const hostParam = parsed.searchParams.get('host');
  if (hostParam?.startsWith('/')) return true;
  const host = decodeURIComponent(parsed.hostname).replace(/^\[|\]$/g, '');
  if (host === '' || host.startsWith('/')) return true;
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Reads the server's processes' CPU between samples. */
export interface ServerCpuReader {
  /** CPU used since the last call, in cores over the wall time between them (undefined the first time). */
  read(): Promise<number | undefined>;
}

interface Snapshot {
  at: number;
  /** Backend pid → its CPU ticks. */
  backends: Map<number, number>;
  /** The postmaster's own ticks plus its exited children's. */
  postmaster: number;
}

/**
 * Checks that the server behind `db` runs on this machine and, if so,
 * returns a reader of its CPU: the backends of pg_stat_activity (the
 * sampler's own left out) from /proc/PID/stat, plus the postmaster with
 * the CPU of its children that exited (a short-lived connection's work
 * would be lost otherwise). The check: a local address, then the
 * sampler's own backend found in /proc as a `postgres` process that
 * started when its session did (a container or a tunnel behind a loopback
 * port fails it: its pids are not this machine's).
 */
export async function probeServerCpu(
  db: Database,
  url: string | undefined,
): Promise<{ cpu: DbSignals['cpu']; reader?: ServerCpuReader }> {
  const no = (reason: string) => ({ cpu: { local: false, reason } });
  if (db.kind === 'pglite')
    return no('the embedded database runs in the app’s process: its CPU is the app’s (--pid)');
  if (url === undefined) return no('no URL to tell where the server runs');
  if (process.platform !== 'linux') return no('the CPU of processes is read from /proc, on Linux only');
  if (!isLocalDatabaseUrl(url))
    return no(
      'the server is not on this machine (not a loopback address or a unix socket): its CPU is not read',
    );
  const { rows } = await db.query<{ pid: number; started: number }>(
    `select ${TAG} pid, extract(epoch from backend_start)::float8 as started from pg_stat_activity where pid = pg_backend_pid()`,
  );
  const own = rows[0];
  const stat = own ? await readProcessStat(Number(own.pid)) : undefined;
  // A machine without /proc/stat: the start time cannot be checked, so the server's CPU is not read.
  let host: HostCpuReading | undefined;
  try {
    host = readHostCpu();
  } catch {
    host = undefined;
  }
  const startedAt = stat && host ? host.bootTime + stat.startTicks / TICKS_PER_SECOND : Number.NaN;
  const sameProcess =
    own !== undefined &&
    stat?.name.startsWith('postgres') === true &&
    Math.abs(startedAt - Number(own.started)) < 3;
  if (!sameProcess || !stat) {
    return no(
      `the address is local, but the sampler's backend (pid ${own?.pid ?? '?'}) is not a postgres process of this machine started with its session (a container or a tunnel?): the server's CPU is not read`,
    );
  }
  const ownPid = Number(own.pid);
  const postmasterPid = stat.ppid;
  const snapshot = async (): Promise<Snapshot> => {
    const { rows: pids } = await db.query<{ pid: number }>(
      `select ${TAG} pid from pg_stat_activity where pid <> pg_backend_pid()`,
    );
    const backends = new Map<number, number>();
    await Promise.all(
      pids.map(async ({ pid }) => {
        const s = await readProcessStat(Number(pid));
        if (s && s.ppid === postmasterPid && Number(pid) !== ownPid) backends.set(Number(pid), s.cpuTicks);
      }),
    );
    const pm = await readProcessStat(postmasterPid);
    return { at: performance.now(), backends, postmaster: pm ? pm.cpuTicks + pm.childTicks : 0 };
  };
  let last: Snapshot | undefined;
  return {
    cpu: { local: true, postmasterPid },
    reader: {
      async read() {
        const now = await snapshot();
        const before = last;
        last = now;
        if (!before) return undefined;
        let ticks = now.postmaster - before.postmaster;
        for (const [pid, t] of now.backends) ticks += t - (before.backends.get(pid) ?? 0);
        // A backend gone since: the postmaster's children's ticks now hold its whole life, counted already up to `before`.
        for (const [pid, t] of before.backends) if (!now.backends.has(pid)) ticks -= t;
        const wall = Math.max(1, now.at - before.at);
        return Math.max(0, (ticks * 1000) / TICKS_PER_SECOND / wall);
      },
    },
  };
}
