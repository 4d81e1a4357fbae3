import { describe, expect, it } from 'vitest';
import { formatPercent } from '../../src/report/format.js';

describe('formatPercent', () => {
  it.each([
    [0, '0%'],
    [100, '100%'],
    [35.7143, '35.7%'],
    [41.027, '41%'],
    [0.012345, '0.0123%'],
    // Not every request failed: it must not read 100%.
    [99.97, '99.9%'],
  ])('%d reads %s', (pct, text) => {
    expect(formatPercent(pct)).toBe(text);
  });
});
