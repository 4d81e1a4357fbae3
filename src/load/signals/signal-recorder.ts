import { performance } from 'node:perf_hooks';
import { TenonError } from '../../core/errors.js';
import type {
  DbSignalSource,
  HostSignals,
  LocalTargetSignals,
  MetricsSignals,
  ProcessSignals,
  ServerSignals,
  SignalSource,
} from '../../core/signals/server-signals.js';
import { canSampleHost, createHostSampler } from './host-sampler.js';
import { createLocalTargetSampler } from './local-target-sampler.js';
import { createMetricsSampler } from './metrics-sampler.js';
import { createProcessSampler } from './process-sampler.js';

/** What to sample on the server side during a run. */
export interface SignalOptions {
  /** A database sampler (`createDbSignalSampler` from `tenon/analyze`): the CLI's `--db URL`. */
  db?: DbSignalSource;
  /** A local process whose CPU to read from /proc (`--pid`). */
  pid?: number;
  /** A Prometheus text endpoint of the target (`--metrics`). */
  metricsUrl?: string;
  /** Sampling interval, ms (default 1000: one point per second of client figures). */
  intervalMs?: number;
  /** Sample the machine's CPU (/proc/stat; default true on Linux, where it is cheap). */
  host?: boolean;
  /**
   * Ports of a target on this machine (loopback URLs): the CPU of the
   * processes listening on them and their descendants is sampled, and a
   * baseline comparison discounts it from the machine's busy CPU. Linux,
   * with the machine sampled; off by default (finding the listeners reads
   * every process's open files once, tens of ms). The CLI sets it for
   * `--save-baseline` and `--compare` runs against loopback URLs.
   */
  localTargetPorts?: number[];
  /**
   * How long the sources may take to connect and to read their baseline
   * before the load starts, ms (default 10,000): a database that does not
   * answer fails the run then, instead of losing the first interval.
   */
  readyTimeoutMs?: number;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * Runs the samplers on the load run's clock: a baseline at the start of
 * measurement, then one sample at the end of each interval, so point `n`
 * covers the same second as the client series' point `n`. A sample still
 * running when the next is due makes that one skip (never two at once).
 */
export class SignalRecorder {
  private readonly db?: DbSignalSource;
  private readonly host?: SignalSource<HostSignals>;
  private readonly process?: SignalSource<ProcessSignals>;
  private readonly metrics?: SignalSource<MetricsSignals>;
  private readonly localTarget?: SignalSource<LocalTargetSignals>;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private busy?: Promise<void>;
  private startAt = 0;
  private lastSecond = 0;
  private stopped = false;
  private baselineTaken = false;
  private readonly readyTimeoutMs: number;

  constructor(options: SignalOptions) {
    this.db = options.db;
    if (options.host ?? canSampleHost()) this.host = createHostSampler();
    if (this.host && options.localTargetPorts?.length)
      this.localTarget = createLocalTargetSampler(options.localTargetPorts);
    this.readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
    if (options.pid !== undefined) this.process = createProcessSampler(options.pid);
    if (options.metricsUrl !== undefined) this.metrics = createMetricsSampler(options.metricsUrl);
    this.intervalMs = options.intervalMs ?? 1000;
  }

  private get sources(): Omit<SignalSource<unknown>, 'finish'>[] {
    const all: (Omit<SignalSource<unknown>, 'finish'> | undefined)[] = [
      this.host,
      this.db,
      this.process,
      this.metrics,
      this.localTarget,
    ];
    return all.filter((s) => s !== undefined);
  }

  /** True when there is anything to sample. */
  get active(): boolean {
    return this.sources.length > 0;
  }

  /** Connects and reads a first time: a source that cannot be read fails here, before any load is sent. */
  async prepare(): Promise<void> {
    try {
      await this.bounded(
        Promise.all(this.sources.map((s) => s.start())),
        'connect to and read the server-side sources',
      );
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /**
   * Reads the baseline (second 0) now and waits for it, before any load is
   * sent: the first interval's deltas then hold all of its work. For a run
   * without warmup; with one, the baseline is read at the end of the warmup.
   *
   * @throws TenonError `TENON_LOAD_SIGNALS_TIMEOUT` when a source does not answer in time
   */
  async takeBaseline(): Promise<void> {
    if (!this.active) return;
    try {
      await this.bounded(this.run(0), 'read the baseline of the server-side signals');
    } catch (error) {
      // Abandoned: closing must not wait for an answer that may never come.
      this.busy = undefined;
      throw error;
    }
    this.baselineTaken = true;
  }

  private async bounded(work: Promise<unknown>, what: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new TenonError(
              'TENON_LOAD_SIGNALS_TIMEOUT',
              `Could not ${what} within ${this.readyTimeoutMs / 1000} s${this.db ? ': the database (--db) does not answer' : ''}; no load was sent.`,
              {
                hint: 'Check that the --db server (and the --metrics endpoint) answer from this machine, e.g. psql "$URL" -c "select 1"; a server that is overloaded before the run starts cannot be measured either.',
              },
            ),
          ),
        this.readyTimeoutMs,
      );
    });
    try {
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Samples every source at `second`, after the sample in flight if any; `busy` until done. */
  private run(second: number): Promise<void> {
    const before = this.busy ?? Promise.resolve();
    const p: Promise<void> = before
      .then(() => Promise.all(this.sources.map((s) => s.sample(second))))
      .then(() => {
        if (this.busy === p) this.busy = undefined;
      });
    this.busy = p;
    return p;
  }

  private tick(second: number): void {
    if (this.stopped) return;
    // A sample still running makes this one skip (samples never pile up), except the first interval's:
    // it waits for a baseline still being read (a busy database at the end of the warmup), or the
    // first second's deltas would be lost.
    if (this.busy && !(this.lastSecond === 0 && second > 0 && second <= this.intervalMs / 1000)) return;
    this.lastSecond = second;
    void this.run(second);
  }

  private schedule(k: number): void {
    const due = this.startAt + k * this.intervalMs;
    this.timer = setTimeout(
      () => {
        this.tick((k * this.intervalMs) / 1000);
        this.schedule(k + 1);
      },
      Math.max(0, due - now()),
    );
    this.timer.unref();
  }

  /**
   * Starts sampling at `measureStartAt` (epoch ms, `performance.timeOrigin` based): the
   * baseline then, unless {@link takeBaseline} read it already, and a point each interval after.
   */
  begin(measureStartAt: number): void {
    if (!this.active) return;
    this.startAt = measureStartAt;
    this.schedule(this.baselineTaken ? 1 : 0);
  }

  /** Stops the clock, takes a last (partial) sample up to `endAt`, and collects the series. */
  async finish(endAt: number): Promise<ServerSignals> {
    clearTimeout(this.timer);
    await this.busy;
    const second = Math.round(((endAt - this.startAt) / 1000) * 1000) / 1000;
    // A last point for a tail longer than a fifth of an interval (shorter ones are noise), and always
    // for a run shorter than that: without it a short run's statements would not be read at all.
    if (this.startAt > 0 && (second - this.lastSecond > this.intervalMs / 5000 || this.lastSecond === 0))
      this.tick(second);
    await this.busy;
    this.stopped = true;
    return {
      intervalMs: this.intervalMs,
      host: this.host ? await this.host.finish() : null,
      db: this.db ? await this.db.finish() : null,
      process: this.process ? await this.process.finish() : null,
      metrics: this.metrics ? await this.metrics.finish() : null,
      ...(this.localTarget ? { localTarget: await this.localTarget.finish() } : {}),
    };
  }

  /** Stops and releases connections. Safe to call twice. */
  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.busy;
    let timer: NodeJS.Timeout | undefined;
    // A source that stopped answering (the baseline timed out) must not hold the process open.
    await Promise.race([
      Promise.all(this.sources.map((s) => s.close().catch(() => undefined))),
      new Promise((resolve) => {
        timer = setTimeout(resolve, this.readyTimeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }
}
