import { describe, expect, it } from 'vitest';
import { parseStages } from '../../src/load/parse-stages.js';
import { ArrivalSchedule, type Stage, stageValueAt } from '../../src/load/schedule.js';

describe('parseStages', () => {
  it('parses DURATION:TARGET lists', () => {
    expect(parseStages('10s:100,30s:1000,500ms:0')).toEqual([
      { durationMs: 10_000, target: 100 },
      { durationMs: 30_000, target: 1000 },
      { durationMs: 500, target: 0 },
    ]);
  });

  it.each(['10s', '10:100', '10s:x', '0s:5', '10s:-1', '10s:1:2', ''])('rejects %j', (text) => {
    expect(typeof parseStages(text)).toBe('string');
  });

  it('interpolates linearly from zero', () => {
    const stages = parseStages('10s:100,10s:100,10s:0') as Stage[];
    expect(stageValueAt(stages, 0)).toBe(0);
    expect(stageValueAt(stages, 5000)).toBe(50);
    expect(stageValueAt(stages, 15_000)).toBe(100);
    expect(stageValueAt(stages, 25_000)).toBe(50);
    expect(stageValueAt(stages, 99_000)).toBe(0);
  });
});

describe('ArrivalSchedule', () => {
  it('spaces a constant rate exactly', () => {
    const s = new ArrivalSchedule({ rate: 1000, durationMs: 2000 });
    expect(s.count).toBe(2000);
    expect(s.timeOf(0)).toBe(0);
    expect(s.timeOf(1)).toBeCloseTo(1, 9);
    expect(s.timeOf(1999)).toBeCloseTo(1999, 9);
    expect(s.timeOf(2000)).toBeUndefined();
  });

  it('inverts a ramp: a request count follows the integral of the rate', () => {
    // 0 → 100 req/s over 2 s holds 100 requests; then 100 req/s for 1 s holds 100 more.
    const s = new ArrivalSchedule({
      stages: [
        { durationMs: 2000, target: 100 },
        { durationMs: 1000, target: 100 },
      ],
      durationMs: 0,
    });
    expect(s.count).toBe(200);
    // N(t) = 25 t² (t in s) on the ramp: request 25 is due at t = 1 s.
    expect(s.timeOf(25)).toBeCloseTo(1000, 6);
    expect(s.timeOf(100)).toBeCloseTo(2000, 6);
    expect(s.timeOf(150)).toBeCloseTo(2500, 6);
    let last = -1;
    for (let i = 0; i < s.count; i++) {
      const t = s.timeOf(i)!;
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
  });

  it('splits over workers by interleaving without losing or repeating a request', () => {
    const s = new ArrivalSchedule({ rate: 333, durationMs: 1000 });
    const times = new Set<number>();
    for (let w = 0; w < 3; w++) for (let k = 0; k * 3 + w < s.count; k++) times.add(s.timeOf(k * 3 + w)!);
    expect(times.size).toBe(333);
  });

  it('has no requests at rate zero', () => {
    expect(new ArrivalSchedule({ stages: [{ durationMs: 1000, target: 0 }], durationMs: 0 }).count).toBe(0);
  });
});
