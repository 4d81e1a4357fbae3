/**
 * A seeded pseudo-random source in (0, 1) (mulberry32): the same seed gives
 * the same sequence, so a bootstrap over the same two runs always gives the
 * same verdict, and consecutive seeds give unrelated sequences (a plain
 * LCG's do not). Never 0 or 1, so inverse-CDF sampling stays finite.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}
