import { type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { ErrorCategory } from './error-category.js';
import { createHistogram, encodeHistogram, type LatencyHistogram, toMicros } from './histogram.js';
import { IntervalRecorder } from './interval-recorder.js';
import { BUSY, CLOSED, type ConnectionOwner, IDLE, LoadConnection } from './load-connection.js';
import { ArrivalSchedule, stageValueAt } from './schedule.js';
import { TimeQueue } from './time-queue.js';
import type { DoneMessage, IntervalMessage, WorkerPlan } from './worker-protocol.js';

const toUs = toMicros;
/** Open model: at most this many connection attempts in flight per worker. */
const MAX_CONNECTING = 8;

/**
 * The load generator of one worker thread. It owns its connections and
 * interval histograms, runs the open model (requests on an arrival
 * schedule, latency measured from each one's intended start) or the closed
 * model (each connection sends its next request when the previous answer
 * arrives), and posts one {@link IntervalMessage} per second and a
 * {@link DoneMessage} at the end.
 */
export class LoadEngine implements ConnectionOwner {
  readonly #plan: WorkerPlan;
  readonly #post: (message: IntervalMessage | DoneMessage) => void;
  #base = 0;
  readonly #open: boolean;
  readonly #recorders: IntervalRecorder[];
  readonly #idle: LoadConnection[][];
  readonly #backlog: TimeQueue[];
  readonly #conns = new Set<LoadConnection>();
  readonly #sendDelay: LatencyHistogram | null;
  readonly #lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  readonly #measureStart: number;
  readonly #end: number;
  #warmSchedule: ArrivalSchedule | null = null;
  #schedule: ArrivalSchedule | null = null;
  #k = 0;
  #next: number | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #budget: number;
  #inUse = 0;
  #connecting = 0;
  readonly #connectingFor: number[];
  #started = false;
  #peakInUse = 0;
  #late = 0;
  #queued = 0;
  #opened = 0;
  #second = 0;
  #stopping = false;
  #done = false;
  #lastCompletion = 0;
  #elu = performance.eventLoopUtilization();
  #timers: NodeJS.Timeout[] = [];
  #pumpTimer: NodeJS.Timeout | null = null;
  #resolve: () => void = () => undefined;

  constructor(plan: WorkerPlan, post: (message: IntervalMessage | DoneMessage) => void) {
    this.#plan = plan;
    this.#post = post;
    this.#open = plan.model === 'open';
    this.#recorders = plan.targets.map(() => new IntervalRecorder(this.#open));
    this.#idle = plan.targets.map(() => []);
    this.#backlog = plan.targets.map(() => new TimeQueue());
    this.#connectingFor = plan.targets.map(() => 0);
    this.#sendDelay = this.#open ? createHistogram() : null;
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
        if (this.#connecting === 0 || performance.now() > deadline) resolve();
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
    for (const conn of this.#conns) conn.connectStartedAt = Math.min(conn.connectStartedAt, this.now());
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
    const plan = this.#plan;
    const sweepMs = Math.max(5, Math.min(250, plan.timeoutMs / 10));
    this.#timers.push(setInterval(() => this.#sweep(), sweepMs));
    this.#timers.push(setTimeout(() => this.#beginMeasuring(), Math.max(0, this.#measureStart - this.now())));
    if (this.#open) {
      const firstRate = plan.stages?.length ? plan.stages[0]!.target : (plan.rate ?? 0);
      if (plan.warmupMs > 0)
        this.#warmSchedule = new ArrivalSchedule({ rate: firstRate, durationMs: plan.warmupMs });
      this.#schedule = new ArrivalSchedule({
        rate: plan.rate,
        stages: plan.stages,
        durationMs: plan.durationMs,
      });
      this.#next = this.#timeOf(0);
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

  #beginMeasuring(): void {
    this.#lag.enable();
    this.#elu = performance.eventLoopUtilization();
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    const at = this.#measureStart + (this.#second + 1) * 1000;
    this.#timers.push(
      setTimeout(
        () => {
          this.#flush(1000);
          this.#second++;
          if (!this.#done) this.#scheduleFlush();
        },
        Math.max(0, at - this.now()),
      ),
    );
  }

  /** Posts the current interval; `spanMs` is its length (shorter for the last one). */
  #flush(spanMs: number): void {
    const message: IntervalMessage = {
      type: 'interval',
      worker: this.#plan.index,
      second: this.#second,
      spanMs,
      targets: this.#recorders.map((r) => r.flush()),
      sendDelay: this.#sendDelay ? encodeHistogram(this.#sendDelay) : null,
      late: this.#late,
      queued: this.#queued,
      peakInUse: this.#peakInUse,
      open: this.#conns.size,
    };
    this.#sendDelay?.reset();
    this.#late = 0;
    this.#queued = 0;
    this.#peakInUse = this.#inUse;
    this.#post(message);
  }

  /** Open model: the intended time of this worker's k-th request (warmup, then measurement). */
  #timeOf(k: number): number | undefined {
    const plan = this.#plan;
    const i = k * plan.workers + plan.index;
    const warm = this.#warmSchedule;
    if (warm && i < warm.count) return warm.timeOf(i);
    const j = i - (warm ? warm.count : 0);
    // Keep the interleaving of workers across the phase boundary.
    const t = this.#schedule!.timeOf(j);
    return t === undefined ? undefined : this.#measureStart + t;
  }

  /**
   * Open model: sends every request that is due. It runs from a
   * millisecond timer when the worker is idle and, when it is busy, right
   * after each response (see {@link onResponse}), so sends stay on time
   * without spinning the event loop.
   */
  #pump(t: number): void {
    if (this.#stopping) return;
    while (this.#next !== undefined && this.#next <= t) {
      if (this.#next >= this.#measureStart) {
        if (this.#budget <= 0) {
          this.#next = undefined;
          break;
        }
        this.#budget--;
      }
      this.#dispatch(this.#next, t);
      this.#next = this.#timeOf(++this.#k);
    }
    if (this.#next === undefined) {
      this.#beginStopping();
      return;
    }
    // Keep one timer, set for the next send unless it already fires before it.
    if (this.#pumpTimer && this.#timerAt <= this.#next) return;
    if (this.#pumpTimer) clearTimeout(this.#pumpTimer);
    this.#timerAt = this.#next;
    this.#pumpTimer = setTimeout(this.#onTimer, Math.max(0, Math.floor(this.#next - this.now())));
  }

  #onTimer = (): void => {
    this.#pumpTimer = null;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#pump(this.now());
  };

  /** Open model: sends the request intended at `intended` on a free connection, or queues it. */
  #dispatch(intended: number, t: number): void {
    const target = this.#targetOf(this.#k);
    const idle = this.#idle[target]!;
    let conn = idle.pop();
    while (conn && conn.state !== IDLE) conn = idle.pop();
    if (conn) {
      const delay = t - intended;
      if (intended >= this.#measureStart) {
        this.#sendDelay!.recordValue(toUs(delay));
        if (delay > this.#plan.lateBoundMs) this.#late++;
      }
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
    while (
      backlog.length > this.#connectingFor[target]! &&
      this.#conns.size < this.#plan.connections &&
      this.#connecting < MAX_CONNECTING
    ) {
      this.#connect(target, this.now());
    }
  }

  #targetOf(k: number): number {
    const i = k * this.#plan.workers + this.#plan.index;
    return i % this.#plan.targets.length;
  }

  #connect(target: number, t: number): LoadConnection {
    const conn = new LoadConnection(this, target, this.#plan.targets[target]!, this.#recorders[target]!, t);
    this.#conns.add(conn);
    this.#opened++;
    this.#connecting++;
    this.#connectingFor[target]!++;
    return conn;
  }

  /** Bookkeeping when a connection attempt ends, either way. */
  #connectEnded(conn: LoadConnection): void {
    if (conn.connected) return;
    conn.connected = true;
    this.#connecting--;
    this.#connectingFor[conn.targetIndex]!--;
  }

  #markInUse(conn: LoadConnection): void {
    conn.inUse = true;
    if (++this.#inUse > this.#peakInUse) this.#peakInUse = this.#inUse;
  }

  #send(conn: LoadConnection, intended: number, t: number): void {
    if (!conn.inUse) this.#markInUse(conn);
    if (intended >= this.#measureStart) this.#recorders[conn.targetIndex]!.sent++;
    conn.send(intended, t);
  }

  /** A connection is free: give it queued work, the next closed-model request, or park it. */
  #release(conn: LoadConnection, t: number): void {
    if (this.#open) {
      const backlog = this.#backlog[conn.targetIndex]!;
      if (backlog.length > 0) {
        const intended = backlog.shift();
        if (intended >= this.#measureStart) {
          this.#queued++;
          this.#sendDelay!.recordValue(toUs(t - intended));
        }
        this.#send(conn, intended, t);
        return;
      }
      this.#idle[conn.targetIndex]!.push(conn);
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
    this.#connectEnded(conn);
    this.#release(conn, this.now());
    if (this.#open) this.#grow(conn.targetIndex);
  }

  onResponse(conn: LoadConnection, status: number): void {
    const t = this.now();
    if (conn.inUse) {
      conn.inUse = false;
      this.#inUse--;
    }
    if (conn.intended >= this.#measureStart) {
      const plan = this.#plan;
      const ok = plan.expectStatus.length > 0 ? plan.expectStatus.includes(status) : status < 400;
      this.#recorders[conn.targetIndex]!.response(status, toUs(t - conn.sentAt), toUs(t - conn.intended), ok);
      this.#lastCompletion = t;
    }
    if (conn.state === IDLE) this.#release(conn, t);
    if (this.#open && this.#next !== undefined && this.#next <= t) this.#pump(t);
    this.#maybeDone();
  }

  onFailure(conn: LoadConnection, category: ErrorCategory): void {
    const t = this.now();
    const connecting = !conn.connected;
    this.#connectEnded(conn);
    if (this.#open && connecting) {
      // The attempt was made for the oldest queued request: it fails with it.
      const backlog = this.#backlog[conn.targetIndex]!;
      if (backlog.length > 0 && this.#started) {
        const intended = backlog.shift();
        if (intended >= this.#measureStart) {
          this.#recorders[conn.targetIndex]!.error(category);
          this.#lastCompletion = t;
        }
      }
    } else if (conn.inUse) {
      conn.inUse = false;
      this.#inUse--;
      const intended = conn.intended >= 0 ? conn.intended : conn.connectStartedAt;
      if (intended >= this.#measureStart) {
        this.#recorders[conn.targetIndex]!.error(category);
        this.#lastCompletion = t;
      }
    } else if (!this.#open && conn.connectStartedAt >= this.#measureStart && !this.#stopping) {
      // Closed model: a connection that cannot connect costs the request it was going to send.
      this.#recorders[conn.targetIndex]!.error(category);
      if (this.#budget !== Number.POSITIVE_INFINITY) this.#budget--;
    }
    conn.failures++;
  }

  onClosed(conn: LoadConnection): void {
    this.#conns.delete(conn);
    if (this.#done) return;
    if (this.#open) {
      this.#connectEnded(conn);
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
      else this.#timers.push(setTimeout(reopen, backoff));
    }
    this.#maybeDone();
  }

  /** Closed model: opens or retires connections to follow --connections or the stages. */
  #adjustConnections(): void {
    if (this.#stopping) return;
    const plan = this.#plan;
    let wanted = plan.connections;
    if (plan.stages?.length) {
      const t = this.now() - this.#measureStart;
      // Warmup runs at the first stage's target; measurement ramps from zero like the open model.
      const total = Math.round(
        t < 0 && plan.warmupMs > 0 ? plan.stages[0]!.target : stageValueAt(plan.stages, Math.max(0, t)),
      );
      wanted = Math.floor(total / plan.workers) + (plan.index < total % plan.workers ? 1 : 0);
    }
    const live = [...this.#conns].filter((c) => !c.retire);
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
    for (const conn of this.#conns) {
      if (conn.state === BUSY && t - conn.sentAt > timeout) conn.fail('timeout');
      else if (
        conn.state !== BUSY &&
        conn.state !== IDLE &&
        conn.state !== CLOSED &&
        t - conn.connectStartedAt > timeout
      ) {
        conn.fail('connectTimeout');
      }
    }
    this.#backlog.forEach((backlog, target) => {
      while (backlog.length > 0 && t - backlog.peek() > timeout) {
        const intended = backlog.shift();
        if (intended >= this.#measureStart) this.#recorders[target]!.error('timeout');
      }
    });
    this.#maybeDone();
  }

  #beginStopping(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    if (this.#pumpTimer) clearTimeout(this.#pumpTimer);
    for (const conn of this.#conns) if (conn.state === IDLE && !conn.inUse) conn.close();
    this.#maybeDone();
  }

  #maybeDone(): void {
    if (!this.#stopping || this.#done) return;
    if (this.#inUse > 0) return;
    if (this.#backlog.some((b) => b.length > 0)) return;
    this.#finish();
  }

  #forceFinish(): void {
    if (this.#done) return;
    for (const conn of this.#conns) if (conn.inUse) conn.fail('timeout');
    this.#backlog.forEach((backlog, target) => {
      while (backlog.length > 0) {
        if (backlog.shift() >= this.#measureStart) this.#recorders[target]!.error('timeout');
      }
    });
    this.#finish();
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    for (const timer of this.#timers) clearTimeout(timer);
    if (this.#pumpTimer) clearTimeout(this.#pumpTimer);
    const elu = performance.eventLoopUtilization(this.#elu);
    this.#lag.disable();
    const span = this.now() - (this.#measureStart + this.#second * 1000);
    this.#flush(Math.min(1000, Math.max(1, span)));
    for (const conn of this.#conns) conn.close();
    const lagMs = (p: number) => {
      const v = this.#lag.count > 0 ? (p === 100 ? this.#lag.max : this.#lag.percentile(p)) : 0;
      return Math.max(0, Math.round((v / 1e6 - 1) * 1000) / 1000);
    };
    this.#post({
      type: 'done',
      worker: this.#plan.index,
      lag: { p50: lagMs(50), p99: lagMs(99), max: lagMs(100) },
      utilization: Math.round(elu.utilization * 1000) / 1000,
      connectionsOpened: this.#opened,
      endedAtMs: Math.max(0, this.#lastCompletion - this.#measureStart),
    });
    this.#resolve();
  }
}
