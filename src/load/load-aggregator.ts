import {
  addEncoded,
  type EncodedHistogram,
  encodedPercentilesUs,
  encodeHistogram,
  mergeEncoded,
} from './encoded-histogram.js';
import { countErrors, countStatusErrors, type ErrorCounts, emptyErrorCounts } from './error-category.js';
import { createHistogram, createTotalHistogram, type LatencyHistogram } from './histogram.js';
import type { SeriesPoint } from './load-result.js';
import type { IntervalMessage, TargetInterval } from './worker-protocol.js';

/** Everything measured for one endpoint (or all endpoints) over the run. */
export class Totals {
  /** Successful responses. */
  readonly service: LatencyHistogram;
  readonly corrected: LatencyHistogram;
  /** Failed requests, from the intended start (open model) or the send (closed). */
  readonly failed: LatencyHistogram;
  /** Rate-limit headers seen on 429s (lowercase name → first value seen). */
  readonly rateLimitHeaders = new Map<string, string>();
  readonly classes = new Map<string, LatencyHistogram>();
  readonly statuses = new Map<string, number>();
  errors: ErrorCounts = emptyErrorCounts();
  responses = 0;
  ok = 0;
  sent = 0;
  bytes = 0;

  constructor(readonly total = true) {
    this.service = total ? createTotalHistogram() : createHistogram();
    this.corrected = total ? createTotalHistogram() : createHistogram();
    this.failed = total ? createTotalHistogram() : createHistogram();
  }

  /** Adds one worker's interval of one endpoint. */
  addInterval(t: TargetInterval): void {
    addEncoded(this.service, t.service);
    // The closed model has no intended start: corrected equals service.
    addEncoded(this.corrected, t.corrected ?? t.service);
    if (t.failed) addEncoded(this.failed, t.failed);
    if (t.rateLimit) this.#rateLimit(Object.entries(t.rateLimit));
    for (const [cls, encoded] of Object.entries(t.classes)) addEncoded(this.#class(cls), encoded);
    this.#counts(t.statuses, t.errors, t.responses, t.ok, t.sent, t.bytes);
  }

  /** Adds another Totals (merging endpoints at the end of the run). */
  addTotals(other: Totals): void {
    // Through the non-empty buckets: hdr's add() walks all ~23,000 of each histogram, per bucket
    // with floating-point index math (several ms at the end of every run); the sum is the same.
    addEncoded(this.service, encodeHistogram(other.service));
    addEncoded(this.corrected, encodeHistogram(other.corrected));
    addEncoded(this.failed, encodeHistogram(other.failed));
    this.#rateLimit(other.rateLimitHeaders);
    for (const [cls, h] of other.classes) addEncoded(this.#class(cls), encodeHistogram(h));
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
    return countErrors(this.errors);
  }

  /** Requests that ended: responses plus transport failures. */
  get ended(): number {
    return this.responses + this.errorCount - countStatusErrors(this.errors);
  }

  #rateLimit(headers: Iterable<[string, string]>): void {
    for (const [name, value] of headers)
      if (!this.rateLimitHeaders.has(name)) this.rateLimitHeaders.set(name, value);
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
  /** Per endpoint, the intervals the workers posted for this second. */
  targets: TargetInterval[][];
  late: number;
  queued: number;
  inUse: number;
}

/** p50/p90/p99/max (ms) of encoded histograms merged, in one walk over the merged buckets. */
function pick(encoded: EncodedHistogram[]) {
  const merged = mergeEncoded(encoded);
  const [p50, p90, p99] = encodedPercentilesUs(merged, PERCENTILES);
  const ms = (us: number) => Math.round(us) / 1000;
  return { p50: ms(p50!), p90: ms(p90!), p99: ms(p99!), max: Math.round(merged.max) / 1000 };
}
const PERCENTILES = [50, 90, 99];

/**
 * Merges the workers' per-second intervals on the main thread. A second is
 * closed once every worker has reported it: its buckets are added into the
 * run's totals (exactly, bucket by bucket), summarized into a series point
 * from the sparse encodings alone, and dropped. Memory stays flat however
 * long the run, and the main thread's work per second stays small, which
 * matters when it shares a core with a worker.
 */
export class LoadAggregator {
  readonly targets: Totals[];
  readonly sendDelay = createTotalHistogram();
  /** Send delay of the sends that had a connection free: the generator's own lateness. */
  readonly lateness = createTotalHistogram();

  late = 0;
  queued = 0;
  peakInUse = 0;
  readonly series: SeriesPoint[] = [];
  readonly targetSeries: SeriesPoint[][];
  readonly #pending = new Map<number, PendingSecond>();
  #all: Totals | undefined;

  constructor(
    targetCount: number,
    readonly workers: number,
    readonly targetRpsAt: (second: number) => number | undefined,
  ) {
    this.targets = Array.from({ length: targetCount }, () => new Totals());
    this.targetSeries = Array.from({ length: targetCount }, () => []);
  }

  /** Takes one worker's interval; returns the seconds that became complete. */
  add(message: IntervalMessage): SeriesPoint[] {
    let pending = this.#pending.get(message.second);
    if (!pending) {
      pending = {
        workers: new Set(),
        spanMs: 0,
        targets: this.targets.map(() => []),
        late: 0,
        queued: 0,
        inUse: 0,
      };
      this.#pending.set(message.second, pending);
    }
    pending.workers.add(message.worker);
    pending.spanMs = Math.max(pending.spanMs, message.spanMs);
    message.targets.forEach((t, i) => {
      pending.targets[i]!.push(t);
      this.targets[i]!.addInterval(t);
    });
    if (message.sendDelay) addEncoded(this.sendDelay, message.sendDelay);
    if (message.lateness) addEncoded(this.lateness, message.lateness);

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

  /**
   * All endpoints' totals: a new {@link Totals} summing them, or with one
   * endpoint that endpoint's own (the same figures; summing copies every
   * histogram for nothing). Built once, on first use.
   */
  get all(): Totals {
    if (this.#all) return this.#all;
    if (this.targets.length === 1) this.#all = this.targets[0]!;
    else {
      this.#all = new Totals(true);
      for (const t of this.targets) this.#all.addTotals(t);
    }
    return this.#all;
  }

  /** Closes every second still open (workers that ended early report no more). */
  finish(): SeriesPoint[] {
    return [...this.#pending].sort((a, b) => a[0] - b[0]).map(([second, p]) => this.#close(second, p));
  }

  #close(second: number, p: PendingSecond): SeriesPoint {
    this.#pending.delete(second);
    this.late += p.late;
    this.queued += p.queued;
    this.peakInUse = Math.max(this.peakInUse, p.inUse);
    p.targets.forEach((intervals, i) => {
      this.targetSeries[i]!.push(this.#point(second, intervals, p.inUse, p.spanMs));
    });
    // With one endpoint, the run's point is that endpoint's (the same intervals): not summarized twice.
    const point =
      p.targets.length === 1
        ? structuredClone(this.targetSeries[0]!.at(-1)!)
        : this.#point(second, p.targets.flat(), p.inUse, p.spanMs);
    const target = this.targetRpsAt(second);
    if (target !== undefined) point.targetRps = Math.round(target * 10) / 10;
    this.series.push(point);
    return point;
  }

  #point(second: number, intervals: TargetInterval[], inUse: number, spanMs: number): SeriesPoint {
    let responses = 0;
    let ok = 0;
    let errors = 0;
    let unexpected = 0;
    for (const t of intervals) {
      responses += t.responses;
      ok += t.ok;
      errors += countErrors(t.errors);
      unexpected += countStatusErrors(t.errors);
    }
    const ended = responses + errors - unexpected;
    return {
      second: Math.round((second + spanMs / 1000) * 1000) / 1000,
      requests: ended,
      ok,
      errors,
      rps: Math.round((ended / Math.max(spanMs, 1)) * 10_000) / 10,
      corrected: pick(intervals.map((t) => t.corrected ?? t.service)),
      service: pick(intervals.map((t) => t.service)),
      connectionsInUse: inUse,
      ...(spanMs < 1000 ? { partial: true as const } : {}),
    };
  }
}
