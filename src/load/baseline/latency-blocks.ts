import { addEncoded, type EncodedHistogram, mergeEncoded } from '../encoded-histogram.js';
import { createTotalHistogram, hdrPackage, type LatencyHistogram } from '../histogram.js';
import { recordedValues } from '../histogram-summary.js';
import type { IntervalMessage } from '../worker-protocol.js';

/**
 * One second of a run's latencies, sparse: the distinct recorded values (µs,
 * top of their HDR bucket, ascending) and their counts. Seconds are the
 * blocks of the block bootstrap: latency is correlated within a second (a
 * stall delays many requests at once), far less across seconds.
 */
export interface LatencyBlock {
  values: number[];
  counts: number[];
}

/** The per-second blocks of one endpoint (or all together), for both latencies. */
export interface LatencyBlocks {
  corrected: LatencyBlock[];
  service: LatencyBlock[];
}

/** A histogram's recorded values as a block. */
export function blockOf(histogram: LatencyHistogram): LatencyBlock {
  const values: number[] = [];
  const counts: number[] = [];
  for (const [v, c] of recordedValues(histogram)) {
    values.push(Math.min(v, histogram.maxValue));
    counts.push(c);
  }
  return { values, counts };
}

let scratch: LatencyHistogram | undefined;

function blockOfEncoded(encoded: EncodedHistogram): LatencyBlock {
  // One scratch histogram, reset per block: a dense 64-bit histogram per second would hold
  // hundreds of kB each for the whole run.
  scratch ??= createTotalHistogram();
  scratch.reset();
  addEncoded(scratch, encoded);
  return blockOf(scratch);
}

/** Encodes a block in HdrHistogram's compressed base64 format (for the baseline file). */
export function encodeBlock(block: LatencyBlock): string {
  scratch ??= createTotalHistogram();
  scratch.reset();
  for (let i = 0; i < block.values.length; i++)
    scratch.recordValueWithCount(block.values[i]!, block.counts[i]!);
  return hdrPackage().encodeIntoCompressedBase64(scratch);
}

/**
 * Collects the run's per-second latency histograms per endpoint from the
 * workers' interval messages (summed over workers), for the block bootstrap
 * of baseline comparisons.
 */
export class BlockRecorder {
  // Merged as the workers report, so memory grows with seconds × endpoints, not × workers.
  readonly #seconds = new Map<
    number,
    { service: EncodedHistogram | null; corrected: EncodedHistogram | null }[]
  >();

  constructor(readonly targets: number) {}

  add(message: IntervalMessage): void {
    let second = this.#seconds.get(message.second);
    if (!second) {
      second = Array.from({ length: this.targets }, () => ({ service: null, corrected: null }));
      this.#seconds.set(message.second, second);
    }
    const merge = (into: EncodedHistogram | null, e: EncodedHistogram) =>
      into ? mergeEncoded([into, e]) : e;
    message.targets.forEach((t, i) => {
      const slot = second[i]!;
      slot.service = merge(slot.service, t.service);
      slot.corrected = merge(slot.corrected, t.corrected ?? t.service);
    });
  }

  /** Per endpoint, then all together: the blocks of seconds with at least one successful response. */
  finish(): { endpoints: LatencyBlocks[]; all: LatencyBlocks } {
    const ordered = [...this.#seconds].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
    const build = (list: (EncodedHistogram | null)[][]) =>
      list
        .map((encoded) => mergeEncoded(encoded.filter((e): e is EncodedHistogram => e !== null)))
        .filter((e) => e.indexes.length > 0)
        .map(blockOfEncoded);
    const endpoints = Array.from({ length: this.targets }, (_, i) => ({
      corrected: build(ordered.map((s) => [s[i]!.corrected])),
      service: build(ordered.map((s) => [s[i]!.service])),
    }));
    return {
      endpoints,
      all: {
        corrected: build(ordered.map((s) => s.map((t) => t.corrected))),
        service: build(ordered.map((s) => s.map((t) => t.service))),
      },
    };
  }
}
