import { describe, expect, it } from 'vitest';
import type { ResolvedLoadOptions } from '../../src/load/load-options.js';
import { ArrivalSchedule } from '../../src/load/schedule.js';
import { checkShard, shardWorkerShares, splitShare } from '../../src/load/shard.js';
import type { WorkerPlan } from '../../src/load/worker-protocol.js';
import { WorkerSchedule } from '../../src/load/worker-schedule.js';

type Shareable = Pick<ResolvedLoadOptions, 'model' | 'connections' | 'requests' | 'workers' | 'stages'>;

const open = (workers: number, over: Partial<Shareable> = {}): Shareable => ({
  model: 'open',
  connections: 1024,
  requests: undefined,
  workers,
  stages: undefined,
  ...over,
});

/** Every intended send time of one shard's workers, as WorkerSchedule computes them. */
function shardTimes(
  rate: number,
  durationMs: number,
  workers: number,
  index: number,
  count: number,
): number[] {
  const times: number[] = [];
  for (const share of shardWorkerShares(open(workers), { index, count })) {
    const plan = {
      index: share.slot,
      workers: share.slots,
      targets: [{ host: '127.0.0.1', port: 1, request: new Uint8Array(), head: false }],
      model: 'open',
      rate,
      connections: share.connections,
      warmupMs: 0,
      durationMs,
      timeoutMs: 1000,
      expectStatus: [],
      lateBoundMs: 2,
    } satisfies WorkerPlan;
    const schedule = new WorkerSchedule(plan);
    while (schedule.next !== undefined) {
      times.push(schedule.next);
      schedule.advance();
    }
  }
  return times;
}

describe('splitShare', () => {
  it('gives the remainder to the first shares and adds up', () => {
    expect([0, 1, 2].map((i) => splitShare(10, 3, i))).toEqual([4, 3, 3]);
    expect([0, 1, 2, 3].map((i) => splitShare(2, 4, i))).toEqual([1, 1, 0, 0]);
  });
});

describe('shardWorkerShares, open model', () => {
  it('splits a rate that does not divide evenly into exactly the single-process schedule', () => {
    // 100 req/s over 3 shards whose worker counts differ (pods on different machines).
    const all = [
      ...shardTimes(100, 2000, 1, 0, 3),
      ...shardTimes(100, 2000, 2, 1, 3),
      ...shardTimes(100, 2000, 3, 2, 3),
    ].sort((a, b) => a - b);
    const single = new ArrivalSchedule({ rate: 100, durationMs: 2000 });
    const expected = Array.from({ length: single.count }, (_, i) => single.timeOf(i)!);
    expect(all).toEqual(expected);
    // 200 requests: 67 + 67 + 66, not 3 × 66.67 rounded.
    expect([0, 1, 2].map((i) => shardTimes(100, 2000, 1, i, 3).length)).toEqual([67, 67, 66]);
  });

  it('gives each worker a distinct slot and splits the connection cap rounding up', () => {
    const shares = shardWorkerShares(open(2, { connections: 10 }), { index: 1, count: 4 });
    expect(shares.map((s) => [s.slot, s.slots, s.connections])).toEqual([
      [1, 8, 2],
      [5, 8, 2],
    ]);
  });

  it('is the plain split when there is one shard', () => {
    const shares = shardWorkerShares(open(3, { connections: 10, requests: 100 }));
    expect(shares.map((s) => [s.slot, s.slots, s.connections, s.maxRequests])).toEqual([
      [0, 3, 4, 34],
      [1, 3, 4, 33],
      [2, 3, 4, 33],
    ]);
  });
});

describe('shardWorkerShares, closed model', () => {
  const closed = (connections: number, workers: number, requests?: number): Shareable => ({
    model: 'closed',
    connections,
    requests,
    workers,
    stages: undefined,
  });

  it('splits connections (VUs) whole, then over the shard’s workers', () => {
    const perShard = [0, 1, 2].map((index) =>
      shardWorkerShares(closed(10, 2), { index, count: 3 }).map((s) => s.connections),
    );
    expect(perShard).toEqual([
      [2, 2],
      [2, 1],
      [2, 1],
    ]);
    expect(perShard.flat().reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('uses fewer workers than asked when a shard has fewer connections', () => {
    expect(shardWorkerShares(closed(5, 4), { index: 0, count: 4 })).toHaveLength(2);
    expect(shardWorkerShares(closed(5, 4), { index: 3, count: 4 })).toHaveLength(1);
  });

  it('refuses fewer VUs than shards: a pod would idle', () => {
    expect(() => shardWorkerShares(closed(3, 1), { index: 3, count: 4 })).toThrow(
      expect.objectContaining({ code: 'TENON_LOAD_SHARD_INVALID' }),
    );
    // Shard 0 of the same split has a connection: the check is per shard, and --emit-k8s runs it for all.
    expect(shardWorkerShares(closed(3, 1), { index: 0, count: 4 })).toHaveLength(1);
  });

  it('refuses fewer requests than shards', () => {
    expect(() => shardWorkerShares(closed(8, 1, 3), { index: 3, count: 4 })).toThrow(
      expect.objectContaining({ code: 'TENON_LOAD_SHARD_INVALID' }),
    );
  });
});

describe('checkShard', () => {
  it('accepts index < count and refuses the rest', () => {
    expect(checkShard(3, 4)).toEqual({ index: 3, count: 4 });
    for (const [index, count] of [
      [4, 4],
      [-1, 4],
      [0, 0],
      [0.5, 2],
      [0, Number.NaN],
    ] as const) {
      expect(() => checkShard(index, count)).toThrow(
        expect.objectContaining({ code: 'TENON_LOAD_SHARD_INVALID' }),
      );
    }
  });
});
