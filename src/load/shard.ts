import { TenonError } from '../core/errors.js';
import type { ResolvedLoadOptions } from './load-options.js';

/** One process of a distributed run: shard `index` (0-based) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** What one worker thread of one shard runs. */
export interface WorkerShare {
  /** Position in the global interleave of the open-model schedule (also the worker's id). */
  slot: number;
  /** Slots of this shard's interleave: shard count × this shard's workers. */
  slots: number;
  /** Closed model: its connections; open model: its connection cap. */
  connections: number;
  /** Its share of --requests, if given. */
  maxRequests?: number;
}

/** `total` split in `parts` near-equal whole shares: the first `total % parts` get one more. */
export function splitShare(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

/** The whole run as one shard: a normal, single-process run. */
export const SINGLE_SHARD: ShardSpec = { index: 0, count: 1 };

/**
 * Checks a shard index and count (from flags, a plan or `JOB_COMPLETION_INDEX`).
 *
 * @throws TenonError `TENON_LOAD_SHARD_INVALID`
 */
export function checkShard(index: number, count: number): ShardSpec {
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw new TenonError(
      'TENON_LOAD_SHARD_INVALID',
      `The shard count (--parallelism / --shard-count) must be a whole number from 1 to 1000 (got ${count}).`,
      { hint: 'e.g. --parallelism 4: four pods, each with a quarter of the load.' },
    );
  }
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new TenonError(
      'TENON_LOAD_SHARD_INVALID',
      `The shard index must be a whole number from 0 to ${count - 1} (got ${index}).`,
      {
        hint: 'Kubernetes sets JOB_COMPLETION_INDEX in an Indexed Job; elsewhere give --shard-index.',
      },
    );
  }
  return { index, count };
}

/**
 * Splits a run over shards and each shard over its worker threads.
 *
 * Open model: the schedule's requests are numbered over the whole run;
 * shard `s` of `N` takes requests i ≡ s (mod N), and its worker `w` of `W`
 * takes every W-th of those, i.e. i ≡ s + N·w (mod N·W). The union of all
 * shards' sends is exactly the single-process schedule, whatever the rate
 * (33.3 req/s per shard for 100 over 3 is fine: no rounding of rates), and
 * shards may run different worker counts. The connection cap is split
 * rounding up.
 *
 * Closed model: connections (VUs) are whole: shard `s` gets
 * `splitShare(connections, N, s)`, then its workers split that. A shard
 * with no connection, or no request of `--requests`, would idle and is an
 * error rather than a silent empty pod.
 *
 * @returns the workers of the shard (as many as it can use) and their shares
 * @throws TenonError `TENON_LOAD_SHARD_INVALID`
 */
export function shardWorkerShares(
  options: Pick<ResolvedLoadOptions, 'model' | 'connections' | 'requests' | 'workers' | 'stages'>,
  shard: ShardSpec = SINGLE_SHARD,
): WorkerShare[] {
  const { index: s, count: n } = shard;
  const open = options.model === 'open';
  const connections = open ? Math.ceil(options.connections / n) : splitShare(options.connections, n, s);
  const requests = options.requests === undefined ? undefined : splitShare(options.requests, n, s);
  if (n > 1 && !open && !options.stages && connections === 0) {
    throw new TenonError(
      'TENON_LOAD_SHARD_INVALID',
      `${options.connections} connection(s) cannot be shared by ${n} shards: shard ${s} would get none.`,
      { hint: `Use --parallelism ${options.connections} or fewer, or more --connections.` },
    );
  }
  if (n > 1 && requests === 0) {
    throw new TenonError(
      'TENON_LOAD_SHARD_INVALID',
      `${options.requests} request(s) cannot be shared by ${n} shards: shard ${s} would get none.`,
      { hint: `Use --parallelism ${options.requests} or fewer, or more --requests.` },
    );
  }
  // A worker without a connection would idle (the closed model without stages only).
  const workers = !open && !options.stages ? Math.min(options.workers, connections) : options.workers;
  return Array.from({ length: workers }, (_, w) => ({
    slot: s + n * w,
    slots: n * workers,
    connections: open ? Math.max(1, Math.ceil(connections / workers)) : splitShare(connections, workers, w),
    maxRequests: requests === undefined ? undefined : splitShare(requests, workers, w),
  }));
}

/** Open model: how many of the schedule's first `count` requests fall to a shard. */
export function shardScheduleCount(count: number, shard: ShardSpec): number {
  return splitShare(count, shard.count, shard.index);
}
