import { describe, expect, it } from 'vitest';
import { durationSchema, formatDuration, parseDuration } from '../../src/core/duration.js';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['250us', 0.25],
    ['0', 0],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['5', '5 s', 's', '-1s', '1d', ''])('rejects %j', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );

  it('accepts milliseconds as numbers in config files', () => {
    expect(durationSchema.parse(1500)).toBe(1500);
    expect(durationSchema.safeParse('soon').error?.issues[0]?.message).toMatch(/expected a duration/);
  });

  it('formats for humans', () => {
    expect([0.5, 4.25, 850, 4200, 65_000].map(formatDuration)).toEqual([
      '500µs',
      '4.25ms',
      '850ms',
      '4.20s',
      '1m05s',
    ]);
  });
});
