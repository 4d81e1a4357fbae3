/*
 * Imported by the load worker thread: it stays free of zod and the parsing of
 * options (see parse-stages.ts), which a worker would otherwise load and pay for at start.
 */

/** One stage of `--stages`: ramp linearly to `target` over `durationMs`. */
export interface Stage {
  durationMs: number;
  /** Requests per second (open model) or connections (closed model) at the end of the stage. */
  target: number;
}

/** The value (rate or connections) the stages call for at `tMs`, ramping from `start`. */
export function stageValueAt(stages: readonly Stage[], tMs: number, start = 0): number {
  let from = start;
  let t0 = 0;
  for (const stage of stages) {
    if (tMs < t0 + stage.durationMs) return from + ((stage.target - from) * (tMs - t0)) / stage.durationMs;
    from = stage.target;
    t0 += stage.durationMs;
  }
  return from;
}

interface Segment {
  startMs: number;
  durationMs: number;
  /** Requests per millisecond at the start of the segment. */
  a: number;
  /** Change of the rate per millisecond, per millisecond. */
  b: number;
  startCount: number;
  endCount: number;
}

/**
 * The open model's arrival schedule: when the i-th request is intended to
 * start, for a constant rate or a piecewise-linear ramp of rates. Times are
 * exact (the integral of the rate is inverted per segment), so splitting
 * requests i ≡ w (mod W) over W workers keeps the combined schedule exact.
 */
export class ArrivalSchedule {
  readonly #segments: Segment[] = [];
  #cursor = 0;
  /** Length of the schedule in milliseconds. */
  readonly durationMs: number;
  /** How many requests the schedule holds. */
  readonly count: number;

  constructor(options: { rate?: number; stages?: readonly Stage[]; durationMs: number }) {
    const stages = options.stages?.length
      ? options.stages
      : [{ durationMs: options.durationMs, target: options.rate ?? 0 }];
    let from = options.stages?.length ? 0 : (options.rate ?? 0);
    let startMs = 0;
    let count = 0;
    for (const stage of stages) {
      const a = from / 1000;
      const b = (stage.target - from) / 1000 / stage.durationMs;
      const endCount = count + a * stage.durationMs + (b * stage.durationMs * stage.durationMs) / 2;
      this.#segments.push({ startMs, durationMs: stage.durationMs, a, b, startCount: count, endCount });
      count = endCount;
      startMs += stage.durationMs;
      from = stage.target;
    }
    this.durationMs = startMs;
    // Requests 0..count-1 have times inside the schedule; a fractional tail is dropped.
    this.count = Math.floor(count + 1e-9);
  }

  /**
   * The intended start of request `i` (0-based) in ms from the start, or
   * `undefined` past the end. Calls with growing `i` are O(1).
   */
  timeOf(i: number): number | undefined {
    if (i >= this.count) return undefined;
    let s = this.#segments[this.#cursor]!;
    if (i < s.startCount) {
      this.#cursor = 0;
      s = this.#segments[0]!;
    }
    while (i >= s.endCount && this.#cursor < this.#segments.length - 1) s = this.#segments[++this.#cursor]!;
    const n = i - s.startCount;
    let t: number;
    if (Math.abs(s.b) < 1e-15) t = s.a > 0 ? n / s.a : 0;
    else t = (-s.a + Math.sqrt(Math.max(0, s.a * s.a + 2 * s.b * n))) / s.b;
    return s.startMs + Math.min(Math.max(t, 0), s.durationMs);
  }
}
