import { type EncodedHistogram, encodeHistogram } from './encoded-histogram.js';
import { categorizeStatus, type ErrorCategory, emptyErrorCounts } from './error-category.js';
import { createHistogram, type LatencyHistogram, recordMicros } from './histogram.js';
import { isRateLimitHeader } from './rate-limit-headers.js';
import type { TargetInterval } from './worker-protocol.js';

const CLASS_NAMES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/**
 * One endpoint's measurements for the current interval, in a worker. Only
 * the interval is kept: every second it is encoded, posted and reset, so a
 * worker's memory does not grow with the number of requests.
 */
export class IntervalRecorder {
  /** Successful responses, from the send. */
  readonly service: LatencyHistogram = createHistogram();
  /** Successful responses, from the intended start (open model only). */
  readonly corrected: LatencyHistogram | null;
  // Failed requests (unexpected statuses and transport failures), created on the first failure.
  #failed: LatencyHistogram | null = null;
  // Retry-After / RateLimit-* headers of the first 429 of the interval.
  #rateLimit: Record<string, string> | null = null;
  readonly #classes: (LatencyHistogram | null)[] = [null, null, null, null, null];
  // Counts by status code 100–599, indexed by the code: cheaper than a Map per response.
  readonly #statuses = new Float64Array(600);
  errors = emptyErrorCounts();
  responses = 0;
  ok = 0;
  sent = 0;
  bytes = 0;

  constructor(open: boolean) {
    this.corrected = open ? createHistogram() : null;
  }

  /**
   * Records one response; latencies in µs (integers ≥ 1). The latency of a
   * response with an unexpected status goes to the failed requests', apart
   * from the successful ones.
   */
  response(status: number, serviceUs: number, correctedUs: number, ok: boolean): void {
    this.responses++;
    const primary = this.corrected ? correctedUs : serviceUs;
    if (ok) {
      recordMicros(this.service, serviceUs);
      if (this.corrected) recordMicros(this.corrected, correctedUs);
    } else {
      recordMicros(this.#failedHistogram(), primary);
    }
    const cls = ((status / 100) | 0) - 1;
    let h = this.#classes[cls];
    if (h === undefined) return; // status outside 1xx–5xx never passes the parser
    if (h === null) {
      h = createHistogram();
      this.#classes[cls] = h;
    }
    recordMicros(h, primary);
    this.#statuses[status]!++;
    if (ok) this.ok++;
    else this.errors[categorizeStatus(status)]++;
  }

  /** Counts a failed request; `latencyUs` is from its intended start (open) or send (closed) to the failure. */
  error(category: ErrorCategory, latencyUs: number): void {
    this.errors[category]++;
    recordMicros(this.#failedHistogram(), latencyUs);
  }

  /**
   * Keeps the rate-limit headers of a 429's head (`Retry-After`,
   * `RateLimit-*`, `X-RateLimit-*`): the first of each interval is enough
   * to tell the user what the target announced.
   */
  rateLimitHead(head: string): void {
    if (this.#rateLimit !== null) return;
    const found: Record<string, string> = {};
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      if (isRateLimitHeader(name)) {
        found[name] = line.slice(colon + 1).trim();
      }
    }
    this.#rateLimit = found;
  }

  #failedHistogram(): LatencyHistogram {
    this.#failed ??= createHistogram();
    return this.#failed;
  }

  #takeStatuses(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let code = 100; code < 600; code++) {
      const n = this.#statuses[code]!;
      if (n > 0) {
        out[code] = n;
        this.#statuses[code] = 0;
      }
    }
    return out;
  }

  /** Encodes the interval for postMessage and starts a new one. */
  flush(): TargetInterval {
    const classes: Record<string, EncodedHistogram> = {};
    this.#classes.forEach((h, i) => {
      if (h && h.totalCount > 0) {
        classes[CLASS_NAMES[i]!] = encodeHistogram(h);
        h.reset();
      }
    });
    const out: TargetInterval = {
      service: encodeHistogram(this.service),
      corrected: this.corrected ? encodeHistogram(this.corrected) : null,
      failed: this.#failed && this.#failed.totalCount > 0 ? encodeHistogram(this.#failed) : null,
      rateLimit: this.#rateLimit,
      classes,
      statuses: this.#takeStatuses(),
      errors: this.errors,
      responses: this.responses,
      ok: this.ok,
      sent: this.sent,
      bytes: this.bytes,
    };
    // reset() clears every bucket: only histograms that recorded something need it.
    if (this.service.totalCount > 0) this.service.reset();
    if (this.corrected && this.corrected.totalCount > 0) this.corrected.reset();
    if (this.#failed && this.#failed.totalCount > 0) this.#failed.reset();
    this.#rateLimit = null;
    this.errors = emptyErrorCounts();
    this.responses = 0;
    this.ok = 0;
    this.sent = 0;
    this.bytes = 0;
    return out;
  }
}
