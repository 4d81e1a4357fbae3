import type { LatencyBlock } from './latency-blocks.js';
import { seededRandom } from './seeded-random.js';
import type { RatioInterval } from './two-sample.js';

/** Fewer seconds than this on either side: the block bootstrap cannot judge (the interval is unbounded). */
export const MIN_BLOCKS = 5;

/** Resamples per side: enough for stable 2.5 % / 97.5 % points of the ratio. */
const RESAMPLES = 400;

interface IndexedBlock {
  at: Int32Array;
  counts: number[];
}

/** The percentiles (µs) of `resamples` block-bootstrap replicates of one run: [replicate][percentile]. */
function replicates(
  blocks: IndexedBlock[],
  values: number[],
  percentiles: readonly number[],
  next: () => number,
): number[][] {
  const acc = new Float64Array(values.length);
  const out: number[][] = [];
  for (let b = 0; b < RESAMPLES; b++) {
    acc.fill(0);
    let total = 0;
    for (let k = 0; k < blocks.length; k++) {
      const block = blocks[Math.floor(next() * blocks.length)]!;
      for (let j = 0; j < block.at.length; j++) {
        acc[block.at[j]!]! += block.counts[j]!;
        total += block.counts[j]!;
      }
    }
    const row: number[] = [];
    let seen = 0;
    let i = 0;
    for (const p of percentiles) {
      const rank = Math.max(Math.ceil((p / 100) * total), 1);
      while (i < values.length - 1 && seen + acc[i]! < rank) seen += acc[i++]!;
      row.push(values[i]!);
    }
    out.push(row);
  }
  return out;
}

/**
 * The block-bootstrap interval of the ratio current / baseline of each
 * percentile: each run's seconds are resampled with replacement (a
 * second's requests stay together, so a stall that slowed one second counts
 * once, not as hundreds of independent samples), the percentile of each
 * replicate is taken, and the ratio's interval is the central `confidence`
 * share of the replicates' ratios. Unbounded with fewer than
 * {@link MIN_BLOCKS} seconds on either side.
 */
export function blockBootstrapRatios(
  baseline: readonly LatencyBlock[],
  current: readonly LatencyBlock[],
  percentiles: readonly number[],
  confidence: number,
): RatioInterval[] {
  const unbounded = percentiles.map(() => ({ ratio: Number.NaN, low: 0, high: Number.POSITIVE_INFINITY }));
  if (baseline.length < MIN_BLOCKS || current.length < MIN_BLOCKS) return unbounded;
  const values = [...new Set([...baseline, ...current].flatMap((b) => b.values))].sort((x, y) => x - y);
  const index = new Map(values.map((v, i) => [v, i]));
  const indexed = (list: readonly LatencyBlock[]) =>
    list.map((b) => ({ at: Int32Array.from(b.values, (v) => index.get(v)!), counts: b.counts }));
  const next = seededRandom(0x5eed);
  const a = replicates(indexed(baseline), values, percentiles, next);
  const c = replicates(indexed(current), values, percentiles, next);
  const alpha = 1 - confidence;
  return percentiles.map((_, p) => {
    const ratios = a.map((row, b) => c[b]![p]! / row[p]!).sort((x, y) => x - y);
    const at = (q: number) =>
      ratios[Math.min(ratios.length - 1, Math.max(0, Math.floor(q * ratios.length)))]!;
    return { ratio: Number.NaN, low: at(alpha / 2), high: at(1 - alpha / 2) };
  });
}

/**
 * The block-bootstrap interval of the ratio of two runs' successes per
 * second: each run's per-second counts are resampled with replacement and
 * their means compared. A second when the machine stalled counts once.
 * The last (partial) second is left out; unbounded with fewer than
 * {@link MIN_BLOCKS} full seconds on either side.
 */
export function blockBootstrapRateRatio(
  baseline: readonly LatencyBlock[],
  current: readonly LatencyBlock[],
  confidence: number,
): RatioInterval {
  // The last second is cut short by the end of the run: its count is not a rate.
  if (baseline.length <= MIN_BLOCKS || current.length <= MIN_BLOCKS)
    return { ratio: Number.NaN, low: 0, high: Number.POSITIVE_INFINITY };
  const sums = (list: readonly LatencyBlock[]) =>
    list.slice(0, -1).map((b) => b.counts.reduce((s, c) => s + c, 0));
  const a = sums(baseline);
  const c = sums(current);
  const next = seededRandom(0x5eed);
  const mean = (counts: number[]) => {
    let total = 0;
    for (let k = 0; k < counts.length; k++) total += counts[Math.floor(next() * counts.length)]!;
    return total / counts.length;
  };
  const ratios = Array.from({ length: RESAMPLES }, () => {
    const base = mean(a);
    return base === 0 ? Number.POSITIVE_INFINITY : mean(c) / base;
  }).sort((x, y) => x - y);
  const alpha = 1 - confidence;
  const at = (q: number) => ratios[Math.min(ratios.length - 1, Math.max(0, Math.floor(q * ratios.length)))]!;
  return { ratio: Number.NaN, low: at(alpha / 2), high: at(1 - alpha / 2) };
}
