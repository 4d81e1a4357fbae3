import { performance } from 'node:perf_hooks';
import type {
  DbSignalSource,
  MetricsSignals,
  ProcessSignals,
  ServerSignals,
  SignalSource,
} from '../../core/signals/server-signals.js';
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
  private readonly process?: SignalSource<ProcessSignals>;
  private readonly metrics?: SignalSource<MetricsSignals>;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private busy?: Promise<void>;
  private startAt = 0;
  private lastSecond = 0;
  private stopped = false;

  constructor(options: SignalOptions) {
    this.db = options.db;
    if (options.pid !== undefined) this.process = createProcessSampler(options.pid);
    if (options.metricsUrl !== undefined) this.metrics = createMetricsSampler(options.metricsUrl);
    this.intervalMs = options.intervalMs ?? 1000;
  }

  private get sources(): Omit<SignalSource<unknown>, 'finish'>[] {
    const all: (Omit<SignalSource<unknown>, 'finish'> | undefined)[] = [this.db, this.process, this.metrics];
    return all.filter((s) => s !== undefined);
  }

  /** True when there is anything to sample. */
  get active(): boolean {
    return this.sources.length > 0;
  }

  /** Connects and reads a first time: a source that cannot be read fails here, before any load is sent. */
  async prepare(): Promise<void> {
    try {
      await Promise.all(this.sources.map((s) => s.start()));
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  private tick(second: number): void {
    if (this.busy || this.stopped) return;
    this.lastSecond = second;
    this.busy = Promise.all(this.sources.map((s) => s.sample(second))).then(() => {
      this.busy = undefined;
    });
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

  /** Starts sampling at `measureStartAt` (epoch ms, `performance.timeOrigin` based). */
  begin(measureStartAt: number): void {
    if (!this.active) return;
    this.startAt = measureStartAt;
    this.schedule(0);
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
      db: this.db ? await this.db.finish() : null,
      process: this.process ? await this.process.finish() : null,
      metrics: this.metrics ? await this.metrics.finish() : null,
    };
  }

  /** Stops and releases connections. Safe to call twice. */
  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.busy;
    await Promise.all(this.sources.map((s) => s.close().catch(() => undefined)));
  }
}
