/*
 * Server-side signals sampled during a load run. The types live in core
 * because two parts share them: analyze samples the database (it owns the
 * catalog queries), load samples the process and the metrics endpoint, runs
 * every sampler on one clock and names the bottleneck from what they saw.
 */

/** One statement's work during an interval (or the whole run), from pg_stat_statements deltas. */
export interface StatementDelta {
  /** pg_stat_statements `queryid`. */
  queryId: string;
  calls: number;
  /** Execution time, ms. */
  totalMs: number;
  rows: number;
  meanMs: number;
}

/** A session holding a lock others wait for, seen in one sample. */
export interface LockBlocker {
  pid: number;
  /** `idle in transaction`, `active`, … */
  state: string | null;
  /** Its current (or, when idle, last) statement. */
  query: string;
  /** Sessions waiting for it. */
  blocked: number;
  /** False when it waits for a lock itself (a link in a chain, not its head). */
  root: boolean;
  /** One statement that waits (the first seen). */
  blockedQuery: string;
  /** The longest wait among them so far, ms. */
  waitedMs: number;
}

/** Sessions by what they were doing at a sample. */
export interface SessionCounts {
  total: number;
  active: number;
  idle: number;
  idleInTransaction: number;
  /** Active sessions waiting for a lock. */
  waitingOnLock: number;
}

/** What the database did during one interval. */
export interface DbSignalPoint {
  /** Seconds since the start of measurement at the end of this interval (as the client series). */
  second: number;
  /**
   * Sessions of this database (the sampler's own left out), by what they
   * did: `active`, `idle`, `idleInTransaction`, and of the active ones,
   * those `waitingOnLock`; the mean of the interval's looks (four a second).
   * Null on PGlite (one connection).
   */
  sessions: SessionCounts | null;
  /**
   * The same counts per client (application name, user and address): an
   * app's pool shows as one client, apart from psql or a migration job.
   * `allBusy`: share of the looks in which none of its sessions was idle.
   * The five with the most sessions.
   */
  clients: (SessionCounts & { client: string; allBusy: number })[];
  /** Wait events of the active sessions (`Lock:transactionid` → 3). */
  waitEvents: Record<string, number>;
  /** Sessions that block others, with the blocking statement. */
  blockers: LockBlocker[];
  /** Client connections to the whole server, against `max_connections`. Null on PGlite. */
  connections: { server: number; max: number } | null;
  /** Share of block reads served from shared buffers in this interval (0–1), null when no block was read. */
  cacheHitRatio: number | null;
  /** Temporary files written in this interval (sorts and hashes spilled to disk), and their bytes. */
  tempFiles: number;
  tempBytes: number;
  deadlocks: number;
  /** pg_stat_statements deltas of this interval: total, and the heaviest statements. Null without the extension. */
  statements: { calls: number; totalMs: number; top: StatementDelta[] } | null;
  /**
   * CPU of the server's processes over the interval, in cores (1 = one core
   * busy): its backends from pg_stat_activity (the sampler's own left out)
   * and the postmaster with its exited children, read from /proc. Only when
   * the server runs on this machine (see {@link DbSignals.cpu}); absent otherwise.
   */
  cpu?: number;
}

/** A statement of the run, with its share of the database's execution time. */
export interface RunStatement extends StatementDelta {
  /** Normalized text (`$1` for constants). */
  query: string;
  /** Share of the run's statement time, percent. */
  sharePct: number;
}

/** The database's signals over a run. */
export interface DbSignals {
  /** The URL without its password. */
  url: string;
  kind: 'postgres' | 'pglite';
  serverVersion: number;
  /** What could not be read, and why (e.g. pg_stat_statements not installed, PGlite has one connection). */
  notes: string[];
  series: DbSignalPoint[];
  /** pg_stat_statements over the whole run: heaviest first (null without the extension). */
  statements: { calls: number; totalMs: number; top: RunStatement[] } | null;
  /**
   * Whether the server's CPU could be read from /proc: only when it runs on
   * this machine (a loopback address or a unix socket, and the sampler's own
   * backend found in /proc as a `postgres` process started when its session
   * did: a container or a tunnel behind a loopback port fails that check).
   * `postmasterPid` when read; `reason` says why not otherwise.
   */
  cpu: { local: boolean; postmasterPid?: number; reason?: string };
  /** What sampling cost the database. */
  overhead: {
    /** Statements the sampler ran per second of the run. */
    statementsPerSecond: number;
    /** Mean time of one sample (all its statements), ms. */
    meanSampleMs: number;
  };
}

/** A process's CPU and memory during one interval, from /proc. */
export interface ProcessSignalPoint {
  second: number;
  /** CPU of all its threads over the interval, in cores (1 = one core busy). */
  cpu: number;
  /** CPU of its main thread (a Node app's JavaScript), in cores. */
  mainThreadCpu: number;
  /** Share of the interval its main thread was runnable but waiting for a CPU (another process had it). */
  mainThreadWaiting: number;
  /** Resident memory at the sample, MiB. */
  rssMb: number;
}

/** A local process's signals over a run (`--pid`). */
export interface ProcessSignals {
  pid: number;
  /** `comm` of the process (e.g. `node`). */
  name: string;
  series: ProcessSignalPoint[];
  notes: string[];
}

/** What the target's Prometheus endpoint said during one interval (absent figures: not exposed). */
export interface MetricsSignalPoint {
  second: number;
  /** process_cpu_seconds_total rate, cores. */
  cpu?: number;
  /** nodejs_eventloop_lag_p99_seconds (or _seconds), ms. */
  eventLoopLagMs?: number;
  /** Event-loop utilization 0–1 (nodejs_eventloop_utilization / _ratio), when exposed. */
  eventLoopUtilization?: number;
  /** nodejs_heap_size_used_bytes, MiB. */
  heapUsedMb?: number;
  /** nodejs_heap_size_total_bytes, MiB. */
  heapTotalMb?: number;
  /** Time in GC during the interval, ms per second (nodejs_gc_duration_seconds_sum rate × 1000). */
  gcMsPerSecond?: number;
  /** HTTP requests finished in the interval and their mean duration (an HTTP histogram's _count/_sum). */
  httpRequests?: number;
  httpMeanMs?: number;
  /** Database pool gauges: connections, idle ones, clients waiting for one (pg_pool_* / *_pool_*). */
  poolTotal?: number;
  poolIdle?: number;
  poolWaiting?: number;
  /** Pool size limit, when exposed (…pool_max / _size_max). */
  poolMax?: number;
}

/** The metrics endpoint's signals over a run (`--metrics`). */
export interface MetricsSignals {
  url: string;
  /** Names of the metric families it exposed (first scrape). */
  families: number;
  series: MetricsSignalPoint[];
  notes: string[];
}

/** The whole machine's CPU during one interval, from /proc/stat and /proc/loadavg (Linux). */
export interface HostSignalPoint {
  second: number;
  /** Share of all CPUs' time that was busy (not idle, not waiting for I/O) over the interval, 0–1. */
  busy: number;
  /** The same in cores (busy × the number of CPUs). */
  busyCores: number;
  /** Runnable threads at the sample (`procs_running` of /proc/stat, this sampler included): above the CPU count, threads wait for a core. */
  running: number;
  /** One-minute load average at the sample (/proc/loadavg). */
  load1: number;
}

/** The machine's CPU over a run: sampled on every run on Linux (cheap, read-only). */
export interface HostSignals {
  /** Online CPUs (the `cpuN` lines of /proc/stat). */
  cpus: number;
  series: HostSignalPoint[];
  notes: string[];
}

/**
 * A target on this machine: the CPU of the processes listening on its
 * ports and their descendants (Linux; sampled for a baseline comparison,
 * which discounts it from the machine's busy CPU).
 */
export interface LocalTargetSignals {
  ports: number[];
  /** Every process counted at some sample (the listeners and their descendants). */
  processes: { pid: number; name: string }[];
  /** Cores they used per interval. */
  series: { second: number; cores: number }[];
  notes: string[];
}

/** Everything sampled on the server side during a run. */
export interface ServerSignals {
  /** Sampling interval, ms (aligned with the per-second client figures). */
  intervalMs: number;
  /** The machine tenon runs on (Linux; null elsewhere). For a local target it is the target's machine too. */
  host: HostSignals | null;
  db: DbSignals | null;
  process: ProcessSignals | null;
  metrics: MetricsSignals | null;
  /** A target on this machine (see {@link LocalTargetSignals}); absent when not sampled. */
  localTarget?: LocalTargetSignals | null;
}

/**
 * A source of signals the load runner samples on its clock: `start` at the
 * start of measurement (the baseline), `sample` at the end of each interval,
 * `finish` after the last one. Sampling must not throw: a failed sample is
 * a note, not a failed run.
 */
export interface SignalSource<T> {
  start(): Promise<void>;
  sample(second: number): Promise<void>;
  finish(): Promise<T>;
  /** Releases connections (after `finish`, or when the run failed). */
  close(): Promise<void>;
}

/** What the database layer can add about one statement the verdict names. */
export interface StatementAdvice {
  /** One line per finding of its plan (`Seq Scan on items (1,000,000 rows) …`). */
  plan: string[];
  /** CREATE INDEX statements the index advisor recommends for it, with the estimated gain. */
  indexes: { createSql: string; costBefore: number; costAfter: number }[];
  notes: string[];
}

/** The database sampler: signals, plus advice on a statement after the run. */
export interface DbSignalSource extends SignalSource<DbSignals> {
  advise(query: string): Promise<StatementAdvice>;
}
