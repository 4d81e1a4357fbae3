import { describe, expect, it } from 'vitest';
import type { WorkerPlan } from '../../src/load/worker-protocol.js';
import { closedConnectionsAt } from '../../src/load/worker-schedule.js';

const plan = (over: Partial<WorkerPlan>): WorkerPlan => ({
  index: 0,
  workers: 1,
  targets: [],
  model: 'closed',
  connections: 50,
  warmupMs: 0,
  durationMs: 10_000,
  timeoutMs: 10_000,
  expectStatus: [],
  lateBoundMs: 2,
  ...over,
});

describe('closedConnectionsAt', () => {
  it('keeps --connections without stages', () => {
    expect(closedConnectionsAt(plan({}), 5000)).toBe(50);
  });

  it('ramps from zero through the stages, the workers sharing the total (remainder to the first)', () => {
    const stages = [{ durationMs: 10_000, target: 10 }];
    const at = (index: number, t: number) => closedConnectionsAt(plan({ stages, workers: 3, index }), t);
    expect([0, 1, 2].map((i) => at(i, 0))).toEqual([0, 0, 0]);
    // Halfway: 5 connections over 3 workers.
    expect([0, 1, 2].map((i) => at(i, 5000))).toEqual([2, 2, 1]);
    expect([0, 1, 2].map((i) => at(i, 10_000))).toEqual([4, 3, 3]);
  });

  it('runs the warmup at the first stage’s target', () => {
    const stages = [
      { durationMs: 10_000, target: 8 },
      { durationMs: 10_000, target: 20 },
    ];
    expect(closedConnectionsAt(plan({ stages, warmupMs: 2000 }), -1000)).toBe(8);
  });
});
