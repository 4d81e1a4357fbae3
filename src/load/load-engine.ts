import { performance } from 'node:perf_hooks';
import { ConnectionPool } from './connection-pool.js';
import type { ErrorCategory } from './error-category.js';
import { toMicros as toUs } from './histogram.js';
import type { IntervalRecorder } from './interval-recorder.js';
import { BUSY, type ConnectionOwner, IDLE, type LoadConnection } from './load-connection.js';
import { TimeQueue } from './time-queue.js';
import { WorkerMonitor } from './worker-monitor.js';
import type { DoneMessage, IntervalMessage, WorkerPlan } from './worker-protocol.js';
import { closedConnectionsAt, WorkerSchedule } from './worker-schedule.js';

/** Open model: at most this many connection attempts in flight per worker. */
const MAX_CONNECTING = 8;
/** Open model: a queued request waits this long for a busy connection before a new one is opened. */
const GROW_AFTER_MS = 1;

/**
 * The load generator of one worker thread. It owns its connections (a
 * {@link ConnectionPool}) and interval histograms, and decides what is sent
 * when: it runs the open model (requests on an arrival
 * schedule, latency measured from each one's intended start) or the closed
 * model (each connection sends its next request when the previous answer
 * arrives), and posts one {@link IntervalMessage} per second and a
 * {@link DoneMessage} at the end.
 */
export class LoadEngine implements ConnectionOwner {
  readonly #plan: WorkerPlan;
  #base = 0;
  readonly #open: boolean;
  readonly #monitor: WorkerMonitor;
  readonly #recorders: IntervalRecorder[];
  readonly #pool: ConnectionPool;
  readonly #backlog: TimeQueue[];
  readonly #measureStart: number;
  readonly #end: number;
  #schedule: WorkerSchedule | null = null;
  #timerAt = Number.POSITIVE_INFINITY;
  #budget: number;
  #started = false;
  #stopping = false;
  #done = false;
  #timers: NodeJS.Timeout[] = [];
  #pumpTimer: NodeJS.Timeout | null = null;
  #growTimer: NodeJS.Timeout | null = null;
  #resolve: () => void = () => undefined;

  constructor(plan: WorkerPlan, post: (message: IntervalMessage | DoneMessage) => void) {
    this.#plan = plan;
    this.#open = plan.model === 'open';
    this.#monitor = new WorkerMonitor(plan, post, () => this.#pool.size);
    this.#recorders = this.#monitor.recorders;
    this.#pool = new ConnectionPool(this, plan.targets, this.#recorders);
    this.#backlog = plan.targets.map(() => new TimeQueue());
    this.#measureStart = plan.warmupMs;
    this.#end = plan.warmupMs + plan.durationMs;
    this.#budget = plan.maxRequests ?? Number.POSITIVE_INFINITY;
  }

  /** ms since the common start. */
  now(): number {
    return performance.now() - this.#base;
  }

  /**
   * Open model: opens the first connections ahead of the start and
   * resolves once they are up (or failed, or a second has passed).
   */
  prepare(): Promise<void> {
    if (!this.#open) return Promise.resolve();
    this.#preconnect();
    const deadline = performance.now() + Math.min(1000, this.#plan.timeoutMs);
    return new Promise((resolve) => {
      const check = () => {
        if (this.#pool.connecting === 0 || performance.now() > deadline) resolve();
        else setTimeout(check, 2);
      };
      check();
    });
  }

  /**
   * Runs from `startAt` (epoch ms, see {@link MainMessage}) until the
   * schedule is over and every request has an answer or an error.
   */
  run(startAt: number): Promise<void> {
    this.#base = startAt - performance.timeOrigin;
    // Connections opened ahead of the start get their connect clock on the common time axis.
    for (const conn of this.#pool.all) conn.connectStartedAt = Math.min(conn.connectStartedAt, this.now());
    const done = new Promise<void>((resolve) => {
      this.#resolve = resolve;
    });
    this.#started = true;
    const startIn = Math.max(0, -this.now());
    this.#timers.push(setTimeout(() => this.#start(), startIn));
    return done;
  }

  /** Stops sending; in-flight requests get a short grace, then the worker reports. */
  stop(): void {
    this.#beginStopping();
    this.#timers.push(setTimeout(() => this.#forceFinish(), Math.min(this.#plan.timeoutMs, 1000)));
  }

  #start(): void {
    // Timers run on the event loop's cached clock, which can be behind performance.now(): a timer may
    // fire before the common start. A closed-model request sent then would count as warmup (neither
    // recorded nor taken from the request budget), so wait for the start itself.
    const early = -this.now();
    if (early > 0) {
      this.#timers.push(setTimeout(() => this.#start(), Math.ceil(early)));
      return;
    }
    const plan = this.#plan;
    const sweepMs = Math.max(5, Math.min(250, plan.timeoutMs / 10));
    this.#timers.push(setInterval(() => this.#sweep(), sweepMs));
    this.#timers.push(
      setTimeout(
        () => this.#monitor.begin(() => this.now(), this.#measureStart),
        Math.max(0, this.#measureStart - this.now()),
      ),
    );
    if (this.#open) {
      this.#schedule = new WorkerSchedule(plan);
      this.#pump(this.now());
    } else {
      // The open model ends when its schedule does; the closed model at the end of the duration.
      this.#timers.push(setTimeout(() => this.#beginStopping(), Math.max(0, this.#end - this.now())));
      this.#adjustConnections();
      if (plan.stages?.length) this.#timers.push(setInterval(() => this.#adjustConnections(), 100));
    }
  }

  /**
   * Open model: opens, before the start, the connections the first
   * millisecond of the schedule needs, so the first sends do not all wait
   * for a TCP handshake. More are opened on demand, up to the cap.
   */
  #preconnect(): void {
    const plan = this.#plan;
    const firstRate = plan.stages?.length && plan.warmupMs === 0 ? plan.stages[0]!.target : (plan.rate ?? 0);
    // Enough for 2 ms of the first rate; more are opened on demand.
    const perTarget = Math.ceil(firstRate / plan.workers / 500 / plan.targets.length);
    const count = Math.min(plan.connections, Math.max(2, perTarget) * plan.targets.length);
    for (let n = 0; n < count; n++) this.#connect(n % plan.targets.length, this.now());
  }

  /**
   * Open model: sends every request that is due. It runs from a
   * millisecond timer when the worker is idle and, when it is busy, right
   * after each response (see {@link onResponse}), so sends stay on time
   * without spinning the event loop.
   */
  #pump(t: number): void {
    const schedule = this.#schedule!;
    if (this.#stopping) return;
    let next = schedule.next;
    while (next !== undefined && next <= t) {
      if (next >= this.#measureStart) {
        if (this.#budget <= 0) {
          schedule.end();
          break;
        }
        this.#budget--;
      }
      this.#dispatch(next, schedule.target, t);
      schedule.advance();
      next = schedule.next;
    }
    next = schedule.next;
    if (next === undefined) {
      this.#beginStopping();
      return;
    }
    // Keep one timer, set for the next send unless it already fires before it.
    if (this.#pumpTimer && this.#timerAt <= next) return;
    if (this.#pumpTimer) clearTimeout(this.#pumpTimer);
    this.#timerAt = next;
    this.#pumpTimer = setTimeout(this.#onTimer, Math.max(0, Math.floor(next - this.now())));
  }

  #onTimer = (): void => {
    this.#pumpTimer = null;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#pump(this.now());
  };

  /** Open model: sends the request intended at `intended` on a free connection, or queues it. */
  #dispatch(intended: number, target: number, t: number): void {
    const conn = this.#pool.takeIdle(target);
    if (conn) {
      if (intended >= this.#measureStart) this.#monitor.sendDelay(t - intended, false);
      this.#send(conn, intended, t);
    } else {
      this.#backlog[target]!.push(intended);
      this.#grow(target);
    }
  }

  /**
   * Open model: opens connections for queued requests, up to the cap and
   * never more than {@link MAX_CONNECTING} attempts at once, so a burst
   * queues briefly instead of setting off a storm of handshakes.
   */
  #grow(target: number): void {
    const backlog = this.#backlog[target]!;
    // A busy connection usually frees up within a millisecond: open a new one only for
    // requests that have waited longer, so brief hiccups do not churn connections.
    if (backlog.length === 0) return;
    const wait = backlog.peek() + GROW_AFTER_MS - this.now();
    if (this.#pool.size > 0 && wait > 0) {
      this.#growTimer ??= setTimeout(() => {
        this.#growTimer = null;
        if (this.#done) return;
        for (let i = 0; i < this.#backlog.length; i++) this.#grow(i);
      }, Math.ceil(wait));
      return;
    }
    while (
      backlog.length > this.#pool.connectingFor(target) &&
      this.#pool.size < this.#plan.connections &&
      this.#pool.connecting < MAX_CONNECTING
    ) {
      this.#connect(target, this.now());
    }
  }

  #connect(target: number, t: number): LoadConnection {
    this.#monitor.opened++;
    return this.#pool.open(target, t);
  }

  #send(conn: LoadConnection, intended: number, t: number): void {
    if (!conn.inUse) {
      conn.inUse = true;
      this.#monitor.acquire();
    }
    if (intended >= this.#measureStart) this.#recorders[conn.targetIndex]!.sent++;
    conn.send(intended, t);
  }

  /** A connection is free: give it queued work, the next closed-model request, or park it. */
  #release(conn: LoadConnection, t: number): void {
    if (this.#open) {
      const backlog = this.#backlog[conn.targetIndex]!;
      if (backlog.length > 0) {
        const intended = backlog.shift();
        if (intended >= this.#measureStart) this.#monitor.sendDelay(t - intended, true);
        this.#send(conn, intended, t);
        return;
      }
      this.#pool.park(conn);
      return;
    }
    if (t >= this.#measureStart && this.#budget <= 0) this.#beginStopping();
    if (conn.retire || this.#stopping) {
      if (conn.retire) conn.close();
      this.#maybeDone();
      return;
    }
    if (t >= this.#measureStart) this.#budget--;
    this.#send(conn, t, t);
  }

  onConnected(conn: LoadConnection): void {
    this.#pool.connectEnded(conn);
    this.#release(conn, this.now());
    if (this.#open) this.#grow(conn.targetIndex);
  }

  onResponse(conn: LoadConnection, status: number): void {
    const t = this.now();
    if (conn.inUse) {
      conn.inUse = false;
      this.#monitor.release();
    }
    if (conn.intended >= this.#measureStart) {
      const plan = this.#plan;
      const ok = plan.expectStatus.length > 0 ? plan.expectStatus.includes(status) : status < 400;
      this.#recorders[conn.targetIndex]!.response(status, toUs(t - conn.sentAt), toUs(t - conn.intended), ok);
      this.#monitor.lastCompletion = t;
    }
    if (conn.state === IDLE) this.#release(conn, t);
    const next = this.#schedule?.next;
    if (next !== undefined && next <= t) this.#pump(t);
    this.#maybeDone();
  }

  onFailure(conn: LoadConnection, category: ErrorCategory): void {
    const t = this.now();
    const connecting = !conn.connected;
    this.#pool.connectEnded(conn);
    if (this.#open && connecting) {
      // The attempt was made for the oldest queued request: it fails with it.
      const backlog = this.#backlog[conn.targetIndex]!;
      if (backlog.length > 0 && this.#started) {
        const intended = backlog.shift();
        if (intended >= this.#measureStart) {
          this.#recorders[conn.targetIndex]!.error(category, toUs(t - intended));
          this.#monitor.lastCompletion = t;
        }
      }
    } else if (conn.inUse) {
      conn.inUse = false;
      this.#monitor.release();
      const intended = conn.intended >= 0 ? conn.intended : conn.connectStartedAt;
      if (intended >= this.#measureStart) {
        this.#recorders[conn.targetIndex]!.error(category, toUs(t - intended));
        this.#monitor.lastCompletion = t;
      }
    } else if (!this.#open && conn.connectStartedAt >= this.#measureStart && !this.#stopping) {
      // Closed model: a connection that cannot connect costs the request it was going to send.
      this.#recorders[conn.targetIndex]!.error(category, toUs(t - conn.connectStartedAt));
      this.#monitor.lastCompletion = t;
      if (this.#budget !== Number.POSITIVE_INFINITY) this.#budget--;
    }
    conn.failures++;
  }

  onClosed(conn: LoadConnection): void {
    this.#pool.delete(conn);
    if (this.#done) return;
    if (this.#open) {
      this.#pool.connectEnded(conn);
      this.#grow(conn.targetIndex);
    } else if (this.now() >= this.#measureStart && this.#budget <= 0) {
      this.#beginStopping();
    } else if (!this.#stopping && !conn.retire) {
      const backoff = conn.failures > 0 ? Math.min(250, 10 * 2 ** (conn.failures - 1)) : 0;
      const failures = conn.failures;
      const reopen = () => {
        if (this.#stopping || this.#done) return;
        const fresh = this.#connect(conn.targetIndex, this.now());
        fresh.failures = failures;
      };
      if (backoff === 0) reopen();
      else setTimeout(reopen, backoff).unref();
    }
    this.#maybeDone();
  }

  /** Closed model: opens or retires connections to follow --connections or the stages. */
  #adjustConnections(): void {
    if (this.#stopping) return;
    const plan = this.#plan;
    const wanted = closedConnectionsAt(plan, this.now() - this.#measureStart);
    const live = this.#pool.live();
    for (let n = live.length; n < wanted; n++) this.#connect(n % plan.targets.length, this.now());
    for (let n = live.length; n > wanted; n--) {
      const conn = live[n - 1]!;
      conn.retire = true;
      if (conn.state !== BUSY) conn.close();
    }
  }

  /** Times out slow connects, slow responses and requests queued for too long. */
  #sweep(): void {
    const t = this.now();
    const timeout = this.#plan.timeoutMs;
    this.#pool.timeOut(t, timeout);
    this.#backlog.forEach((backlog, target) => {
      while (backlog.length > 0 && t - backlog.peek() > timeout) {
        const intended = backlog.shift();
        if (intended >= this.#measureStart) this.#recorders[target]!.error('timeout', toUs(t - intended));
      }
      this.#grow(target);
    });
    this.#maybeDone();
  }

  #beginStopping(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    if (this.#pumpTimer) clearTimeout(this.#pumpTimer);
    this.#pool.closeIdle();
    this.#maybeDone();
  }

  #maybeDone(): void {
    if (!this.#stopping || this.#done) return;
    if (this.#monitor.inUse > 0) return;
    if (this.#backlog.some((b) => b.length > 0)) return;
    this.#finish();
  }

  #forceFinish(): void {
    if (this.#done) return;
    this.#pool.failInUse();
    const t = this.now();
    this.#backlog.forEach((backlog, target) => {
      while (backlog.length > 0) {
        const intended = backlog.shift();
        if (intended >= this.#measureStart) this.#recorders[target]!.error('timeout', toUs(t - intended));
      }
    });
    this.#finish();
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    for (const timer of this.#timers) clearTimeout(timer);
    if (this.#pumpTimer) clearTimeout(this.#pumpTimer);
    if (this.#growTimer) clearTimeout(this.#growTimer);
    this.#monitor.finish(this.now(), this.#measureStart);
    this.#pool.closeAll();
    this.#resolve();
  }
}
