import { describe, expect, it } from 'vitest';
import { analyzeConfigSchema, selectChecks } from '../../src/analyze/index.js';
import { isTenonError } from '../../src/core/errors.js';

describe('analyze settings', () => {
  it('accepts sizes, durations, ratios and lists as text (flags, environment) or typed values', () => {
    const config = analyzeConfigSchema.parse({
      unusedIndexMinSize: '64kB',
      bloatMinSize: 2048,
      slowQueryMean: '250ms',
      minCostSaving: '0.6',
      only: 'missing-index, slow-query',
    });
    expect(config).toMatchObject({
      unusedIndexMinSize: 65536,
      bloatMinSize: 2048,
      slowQueryMean: 250,
      minCostSaving: 0.6,
      only: ['missing-index', 'slow-query'],
      minCalls: 10,
    });
    expect(analyzeConfigSchema.safeParse({ minCostSaving: 2 }).success).toBe(false);
    expect(analyzeConfigSchema.safeParse({ bloatMinSize: '10 parsecs' }).success).toBe(false);
    expect(analyzeConfigSchema.safeParse({ nope: 1 }).success).toBe(false);
  });

  it('selects checks by id and rejects unknown ids', () => {
    expect(selectChecks({ only: ['slow-query', 'unused-index'], skip: [] }).map((c) => c.id)).toEqual([
      'unused-index',
      'slow-query',
    ]);
    expect(selectChecks({ only: [], skip: ['slow-query'] }).map((c) => c.id)).not.toContain('slow-query');
    let error: unknown;
    try {
      selectChecks({ only: ['slow-querry'], skip: [] });
    } catch (e) {
      error = e;
    }
    expect(isTenonError(error, 'TENON_ANALYZE_UNKNOWN_CHECK')).toBe(true);
  });
});
