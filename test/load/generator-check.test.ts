import { describe, expect, it } from 'vitest';
import { judgeGenerator, parseMaxLateness } from '../../src/load/generator-check.js';
import type { MeasuredLatency } from '../../src/load/histogram-summary.js';

const summary = (mean: number, p99: number, count = 1000): MeasuredLatency => ({
  count,
  min: mean / 2,
  mean,
  p50: mean,
  p90: mean * 1.5,
  p95: mean * 2,
  p99,
  p999: p99 * 1.2,
  max: p99 * 1.5,
});

describe('parseMaxLateness', () => {
  it.each([
    ['20%', { share: 0.2 }],
    ['5 %', { share: 0.05 }],
    ['5ms', { ms: 5 }],
    ['0.5s', { ms: 500 }],
    ['3', { ms: 3 }],
    [7, { ms: 7 }],
  ])('reads %j', (text, expected) => {
    expect(parseMaxLateness(text)).toEqual(expected);
  });

  it.each(['0%', '100%', 'soon', '-1ms', 0])('rejects %j with a message', (text) => {
    expect(typeof parseMaxLateness(text)).toBe('string');
  });
});

describe('judgeGenerator: saturation by its effect on the figures', () => {
  const corrected = summary(7, 30);

  it('a busy machine delaying a few sends by milliseconds is not flagged (5 ms endpoint)', () => {
    const { ownDelay, reasons } = judgeGenerator({
      seen: corrected,
      latenessP99Ms: summary(0.8, 6).p99,
      // Sends left 0.3 ms beyond the timer's millisecond on average; the loop rarely stalled.
      ownSendMs: 0.3,
      stallDelayMs: 0.2,
      max: { share: 0.2 },
    });
    expect(reasons).toEqual([]);
    expect(ownDelay).toMatchObject({ meanMs: 0.5, sendMs: 0.3, stallMs: 0.2, share: 7.1, tolerance: '20%' });
    expect(ownDelay.p99LatenessShare).toBe(20);
  });

  it('a blocked event loop is flagged, with the figures that show it', () => {
    const { ownDelay, reasons } = judgeGenerator({
      seen: summary(15, 140),
      latenessP99Ms: 120,
      ownSendMs: 4.5,
      stallDelayMs: 5,
      max: { share: 0.2 },
    });
    expect(ownDelay.share).toBe(63.3);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain('9.5 ms per request (late sends 4.5 ms, stalled event loop 5 ms), 63.3%');
  });

  it('takes a tolerance in ms per request, or a stricter share', () => {
    const inputs = {
      seen: corrected,
      latenessP99Ms: 6,
      ownSendMs: 0.8,
      stallDelayMs: 0.2,
    };
    expect(judgeGenerator({ ...inputs, max: { ms: 2 } }).reasons).toEqual([]);
    expect(judgeGenerator({ ...inputs, max: { ms: 0.5 } }).reasons).toHaveLength(1);
    expect(judgeGenerator({ ...inputs, max: { share: 0.1 } }).reasons).toHaveLength(1);
  });

  it('judges nothing without successful responses (the default checks fail that run instead)', () => {
    const { reasons } = judgeGenerator({
      seen: summary(0, 0, 0),
      latenessP99Ms: 0,
      ownSendMs: 1000,
      stallDelayMs: 50,
      max: { share: 0.2 },
    });
    expect(reasons).toEqual([]);
  });
});
