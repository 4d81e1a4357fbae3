import { type ErrorCounts, emptyErrorCounts } from './error-category.js';
import {
  addEncoded,
  createHistogram,
  createTotalHistogram,
  type LatencyHistogram,
  percentileUs,
} from './histogram.js';
import type { SeriesPoint } from './load-result.js';
import type { IntervalMessage, TargetInterval } from './worker-protocol.js';

/** Everything measured for one endpoint (or all endpoints) over some span of time. */
export class Totals {
  readonly service: LatencyHistogram;
  readonly corrected: LatencyHistogram;
  readonly classes = new Map<string, LatencyHistogram>();
  readonly statuses = new Map<string, number>();
  errors: ErrorCounts = emptyErrorCounts();
  responses = 0;
  ok = 0;
  sent = 0;
  bytes = 0;

  constructor(readonly total: boolean) {
    this.service = total ? createTotalHistogram() : createHistogram();
    this.corrected = total ? createTotalHistogram() : createHistogram();
  }

  /** Adds one worker's interval of one endpoint. */
  addInterval(t: TargetInterval): void {
    addEncoded(this.service, t.service);
    // The closed model has no intended start: corrected equals service.
    addEncoded(this.corrected, t.corrected ?? t.service);
    for (const [cls, encoded] of Object.entries(t.classes)) addEncoded(this.#class(cls), encoded);
    this.#counts(t.statuses, t.errors, t.responses, t.ok, t.sent, t.bytes);
  }

  /** Adds another Totals (merging endpoints, or a second into the run). */
  addTotals(other: Totals): void {
    this.service.add(other.service);
    this.corrected.add(other.corrected);
    for (const [cls, h] of other.classes) this.#class(cls).add(h);
    this.#counts(
      Object.fromEntries(other.statuses),
      other.errors,
      other.responses,
      other.ok,
      other.sent,
      other.bytes,
    );
  }

  /** Transport failures plus unexpected statuses. */
  get errorCount(): number {
    return Object.values(this.errors).reduce((a, b) => a + b, 0);
  }

  /** Requests that ended: responses plus transport failures. */
  get ended(): number {
    return this.responses + this.errorCount - this.errors.unexpectedStatus;
  }

  #class(cls: string): LatencyHistogram {
    let h = this.classes.get(cls);
    if (!h) {
      h = this.total ? createTotalHistogram() : createHistogram();
      this.classes.set(cls, h);
    }
    return h;
  }

  #counts(
    statuses: Record<string, number>,
    errors: ErrorCounts,
    responses: number,
    ok: number,
    sent: number,
    bytes: number,
  ) {
    for (const [status, n] of Object.entries(statuses))
      this.statuses.set(status, (this.statuses.get(status) ?? 0) + n);
    for (const key of Object.keys(errors) as (keyof ErrorCounts)[]) this.errors[key] += errors[key];
    this.responses += responses;
    this.ok += ok;
    this.sent += sent;
    this.bytes += bytes;
  }
}

interface PendingSecond {
  workers: Set<number>;
  spanMs: number;
  targets: Totals[];
  sendDelay: LatencyHistogram;
  late: number;
  queued: number;
  inUse: number;
}

const pick = (h: LatencyHistogram) => {
  const at = (p: number) => (h.totalCount === 0 ? 0 : Math.round(percentileUs(h, p)) / 1000);
  return {
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: h.totalCount === 0 ? 0 : Math.round(h.maxValue) / 1000,
  };
};

/**
 * Merges the workers' per-second intervals on the main thread. A second is
 * closed once every worker has reported it: its histograms are added into
 * the run's totals (exactly, bucket by bucket), summarized into a series
 * point, and dropped, so memory stays flat however long the run.
 */
export class LoadAggregator {
  readonly targets: Totals[];
  readonly sendDelay = createTotalHistogram();
  late = 0;
  queued = 0;
  peakInUse = 0;
  readonly series: SeriesPoint[] = [];
  readonly targetSeries: SeriesPoint[][];
  readonly #pending = new Map<number, PendingSecond>();

  constructor(
    targetCount: number,
    readonly workers: number,
    readonly targetRpsAt: (second: number) => number | undefined,
  ) {
    this.targets = Array.from({ length: targetCount }, () => new Totals(true));
    this.targetSeries = Array.from({ length: targetCount }, () => []);
  }

  /** Takes one worker's interval; returns the seconds that became complete. */
  add(message: IntervalMessage): SeriesPoint[] {
    let pending = this.#pending.get(message.second);
    if (!pending) {
      pending = {
        workers: new Set(),
        spanMs: 0,
        targets: this.targets.map(() => new Totals(false)),
        sendDelay: createHistogram(),
        late: 0,
        queued: 0,
        inUse: 0,
      };
      this.#pending.set(message.second, pending);
    }
    pending.workers.add(message.worker);
    pending.spanMs = Math.max(pending.spanMs, message.spanMs);
    message.targets.forEach((t, i) => {
      pending.targets[i]!.addInterval(t);
    });
    if (message.sendDelay) addEncoded(pending.sendDelay, message.sendDelay);
    pending.late += message.late;
    pending.queued += message.queued;
    pending.inUse += message.peakInUse;
    const closed: SeriesPoint[] = [];
    for (const [second, p] of [...this.#pending].sort((a, b) => a[0] - b[0])) {
      if (p.workers.size < this.workers) break;
      closed.push(this.#close(second, p));
    }
    return closed;
  }

  /** Closes every second still open (workers that ended early report no more). */
  finish(): SeriesPoint[] {
    return [...this.#pending].sort((a, b) => a[0] - b[0]).map(([second, p]) => this.#close(second, p));
  }

  #close(second: number, p: PendingSecond): SeriesPoint {
    this.#pending.delete(second);
    const all = new Totals(false);
    p.targets.forEach((t, i) => {
      this.targets[i]!.addTotals(t);
      all.addTotals(t);
      this.targetSeries[i]!.push(this.#point(second, t, p.inUse, p.spanMs));
    });
    this.sendDelay.add(p.sendDelay);
    this.late += p.late;
    this.queued += p.queued;
    this.peakInUse = Math.max(this.peakInUse, p.inUse);
    const point = this.#point(second, all, p.inUse, p.spanMs);
    const target = this.targetRpsAt(second);
    if (target !== undefined) point.targetRps = Math.round(target * 10) / 10;
    this.series.push(point);
    return point;
  }

  #point(second: number, t: Totals, inUse: number, spanMs: number): SeriesPoint {
    return {
      second: Math.round((second + spanMs / 1000) * 1000) / 1000,
      requests: t.ended,
      ok: t.ok,
      errors: t.errorCount,
      rps: Math.round((t.ended / Math.max(spanMs, 1)) * 10_000) / 10,
      corrected: pick(t.corrected),
      service: pick(t.service),
      connectionsInUse: inUse,
    };
  }
}
