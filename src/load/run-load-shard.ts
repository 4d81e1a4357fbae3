import type { LoadOptions } from './load-options.js';
import { executeLoad } from './run-load.js';
import type { ShardSpec } from './shard.js';
import { type ShardResult, toShardResult } from './shard-result.js';

/**
 * Runs one shard of a distributed run: its share of the plan (see
 * `shardWorkerShares`), started at the common wall-clock time, and returns
 * the result file `tenon load merge` combines exactly with the others.
 *
 * @example
 * ```ts
 * const index = Number(process.env.JOB_COMPLETION_INDEX);
 * const shard = await runLoadShard(
 *   { urls: ['http://api:3000/health'], rate: 4000, duration: '60s', workers: 1 },
 *   { shard: { index, count: 4 }, startAt: new Date('2026-12-06T10:00:00Z') },
 * );
 * process.stdout.write(`${JSON.stringify(shard)}\n`);
 * ```
 * @throws TenonError as `runLoad`, and `TENON_LOAD_SHARD_INVALID`, `TENON_LOAD_START_PASSED`
 */
export async function runLoadShard(
  input: LoadOptions,
  setup: { shard: ShardSpec; startAt?: Date },
): Promise<ShardResult> {
  const run = await executeLoad(input, {
    shard: setup.shard,
    startAtMs: setup.startAt?.getTime(),
    keepIntervals: true,
  });
  return toShardResult(run, setup.shard, setup.startAt);
}
