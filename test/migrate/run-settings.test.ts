import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../src/migrate/run-settings.js';

describe('retryDelayMs', () => {
  it('grows exponentially from about 250 ms, jittered ±50%, capped at 15 s', () => {
    for (let i = 0; i < 200; i++) {
      const first = retryDelayMs(1);
      expect(first).toBeGreaterThanOrEqual(125);
      expect(first).toBeLessThanOrEqual(375);
      const third = retryDelayMs(3);
      expect(third).toBeGreaterThanOrEqual(500);
      expect(third).toBeLessThanOrEqual(1500);
      expect(retryDelayMs(30)).toBeLessThanOrEqual(15_000);
    }
    const spread = new Set(Array.from({ length: 50 }, () => retryDelayMs(2)));
    expect(spread.size).toBeGreaterThan(10);
  });
});
