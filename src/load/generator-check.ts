import { parseDuration } from '../core/duration.js';
import { LATENESS_FLOOR_MS } from './worker-protocol.js';

/** How much of the corrected latency the generator's own delay may be: a share of it, or a duration. */
export type MaxLateness = { share: number } | { ms: number };

/**
 * The default tolerance: the generator's own delay may be up to 20 % of the
 * mean corrected latency. On a shared 2-core machine at 10–200 req/s
 * against a 5 ms endpoint, sound runs measured 3–15 %; runs with a stalled
 * generator (SIGSTOP 20–50 ms every 200–250 ms) 57–78 %.
 */
export const DEFAULT_MAX_LATENESS = '20%';

/**
 * Parses `--max-lateness`: `20%` (a share of the mean corrected latency) or
 * a duration (`5ms`, `0.5s`, a bare number of milliseconds: the own delay per request).
 *
 * @returns the tolerance, or a message saying what is wrong
 */
export function parseMaxLateness(text: string | number): MaxLateness | string {
  if (typeof text === 'number') return text > 0 ? { ms: text } : 'must be positive';
  const trimmed = text.trim();
  const share = /^(\d+(?:\.\d+)?)\s*%$/.exec(trimmed);
  if (share) {
    const value = Number(share[1]);
    return value > 0 && value < 100 ? { share: value / 100 } : 'a share must be between 0 and 100 %';
  }
  const ms = /^\d+(?:\.\d+)?$/.test(trimmed) ? Number(trimmed) : parseDuration(trimmed);
  if (ms === undefined || !(ms > 0)) return `"${text}" is neither a share (20%) nor a duration (5ms)`;
  return { ms };
}

/** How much of the corrected latency is the generator's own delay, and the tolerance applied. */
export interface OwnDelay {
  /** Mean own delay per request, ms: {@link sendMs} + {@link stallMs}. */
  meanMs: number;
  /** Of which: sends that left late although a connection was free (beyond {@link LATENESS_FLOOR_MS}). */
  sendMs: number;
  /** Of which: answers that waited for the worker's stalled event loop. */
  stallMs: number;
  /** {@link meanMs} as percent of the mean corrected latency of the successful responses. */
  share: number;
  /** The send delay p99 of sends with a connection free, as percent of the corrected p99: evidence. */
  p99LatenessShare: number;
  /** The tolerance applied: `10%` or `5 ms`. */
  tolerance: string;
}

/** What {@link judgeGenerator} needs. */
export interface GeneratorCheckInputs {
  /**
   * The latency users saw, of the successful responses: the corrected
   * latency of an open-model run; a scenario's step latency plus its flows'
   * late starts. Its mean and p99 (ms) and how many responses it covers.
   */
  seen: { count: number; mean: number | null; p99: number | null };
  /** The generator's own send delay per request, ms: sends that left late with a connection free, beyond {@link LATENESS_FLOOR_MS}. */
  ownSendMs: number;
  /** Mean delay an answer met because the event loop was stalled (worst worker), ms. */
  stallDelayMs: number;
  /** p99 of the send delay of sends that had a connection free, ms: evidence. */
  latenessP99Ms: number;
  max: MaxLateness;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Judges an open-model run's generator by its effect on the figures: the
 * generator's own delay per request — sends that left late with a
 * connection free (beyond the timers' millisecond granularity) and answers
 * that waited for a stalled event loop — as a share of the mean corrected
 * latency. Above the tolerance, the figures are the generator's as much as
 * the target's: the run is saturated. A busy machine that delays a send by
 * a few milliseconds now and then is not flagged; a blocked event loop is,
 * whatever the rate.
 */
export function judgeGenerator(inputs: GeneratorCheckInputs): { ownDelay: OwnDelay; reasons: string[] } {
  const { seen, ownSendMs, stallDelayMs, latenessP99Ms, max } = inputs;
  const tolerance = 'share' in max ? `${round(max.share * 100, 2)}%` : `${max.ms} ms`;
  const meanMs = ownSendMs + stallDelayMs;
  const share = seen.mean !== null && seen.mean > 0 ? (meanMs / seen.mean) * 100 : 0;
  const ownDelay: OwnDelay = {
    meanMs: round(meanMs, 3),
    sendMs: round(ownSendMs, 3),
    stallMs: round(stallDelayMs, 3),
    share: round(share, 1),
    p99LatenessShare: seen.p99 !== null && seen.p99 > 0 ? round((latenessP99Ms / seen.p99) * 100, 1) : 0,
    tolerance,
  };
  const over = seen.count > 0 && ('share' in max ? share / 100 > max.share : meanMs > max.ms);
  const reasons = over
    ? [
        `the generator's own delay is ${ownDelay.meanMs} ms per request (late sends ${ownDelay.sendMs} ms, stalled event loop ${ownDelay.stallMs} ms), ${ownDelay.share}% of the ${round(seen.mean ?? 0, 3)} ms mean corrected latency, over the ${tolerance} tolerated`,
      ]
    : [];
  return { ownDelay, reasons };
}
