import type { LatencyHistogram } from '../histogram.js';
import type { LoadResult } from '../load-result.js';
import type { LatencyBlocks } from './latency-blocks.js';

/** The successful responses' latency histograms of one endpoint, or of all together. */
export interface LatencyHistograms {
  corrected: LatencyHistogram;
  service: LatencyHistogram;
}

/** The histograms behind a {@link LoadResult}: the aggregate and one per endpoint (same order). */
export interface RunHistograms extends LatencyHistograms {
  endpoints: LatencyHistograms[];
  /** Per-second histograms (all together, per endpoint) for the block bootstrap; absent when not recorded. */
  blocks?: { all: LatencyBlocks; endpoints: LatencyBlocks[] };
}

// Kept beside the result rather than in it: the JSON document stays as it is, and the
// histograms (hundreds of kB in memory) live only as long as the result object.
const registry = new WeakMap<LoadResult, RunHistograms>();

/** Records the histograms a result was summarized from (called by the result builder). */
export function attachRunHistograms(result: LoadResult, histograms: RunHistograms): void {
  registry.set(result, histograms);
}

/**
 * Adds the run's per-second blocks (called by `runLoad` once the run is
 * over), built on first read: only a baseline saved or compared reads them,
 * and building them walks every second's histograms.
 */
export function attachRunBlocks(
  result: LoadResult,
  blocks: () => NonNullable<RunHistograms['blocks']>,
): void {
  const histograms = registry.get(result);
  if (!histograms) return;
  let built: RunHistograms['blocks'];
  Object.defineProperty(histograms, 'blocks', {
    configurable: true,
    enumerable: true,
    get: () => {
      built ??= blocks();
      return built;
    },
  });
}

/**
 * The HDR histograms of a result returned by `runLoad` (undefined for a
 * result read back from JSON, or a copy).
 */
export function runHistograms(result: LoadResult): RunHistograms | undefined {
  return registry.get(result);
}
