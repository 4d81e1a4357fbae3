import { describe, expect, it } from 'vitest';
import type { DistributionBucket } from '../../src/load/histogram.js';
import { findBimodal } from '../../src/load/recommendations.js';

function buckets(counts: number[]): DistributionBucket[] {
  return counts.map((count, k) => ({ fromMs: 10 ** (k / 10), toMs: 10 ** ((k + 1) / 10), count }));
}

describe('findBimodal', () => {
  it('finds a second hump far above the first', () => {
    // Most requests around 1–2 ms, 10% around 100 ms, nothing between.
    const counts = [0, 100, 800, 3000, 900, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 300, 80, 0];
    const found = findBimodal(buckets(counts));
    expect(found).toBeDefined();
    expect(found!.fast.count).toBe(3000);
    expect(found!.slow.count).toBe(300);
    expect(found!.slowShare).toBeCloseTo(480 / counts.reduce((a, b) => a + b, 0), 5);
  });

  it('does not see two modes in one wide hump, a tiny tail, or too few samples', () => {
    expect(
      findBimodal(buckets([10, 100, 400, 900, 1200, 900, 600, 400, 300, 200, 100, 50, 20])),
    ).toBeUndefined();
    expect(findBimodal(buckets([0, 1000, 3000, 1000, 0, 0, 0, 0, 0, 0, 3]))).toBeUndefined();
    expect(findBimodal(buckets([0, 10, 30, 0, 0, 0, 0, 0, 0, 20]))).toBeUndefined();
  });
});
