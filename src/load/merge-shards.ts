import type * as hdr from 'hdr-histogram-js';
import { TenonError } from '../core/errors.js';
import { hdrPackage } from './histogram.js';
import { LoadAggregator, Totals } from './load-aggregator.js';
import type { ResolvedLoadOptions } from './load-options.js';
import type { LoadResult } from './load-result.js';
import { buildLoadResult } from './load-result-builder.js';
import { stageValueAt } from './schedule.js';
import { fromJson, type ShardResult } from './shard-result.js';
import { resolveThresholds } from './thresholds.js';
import type { IntervalMessage, TargetInterval } from './worker-protocol.js';

/** The `schema` of `tenon load merge --json`. */
export const MERGE_RESULT_SCHEMA = 'tenon.load.merge/v1';

/** How the shards were put together. */
export interface MergeInfo {
  shards: {
    index: number;
    file: string;
    workers: number;
    /** Wall-clock start of the shard's measurement (ISO). */
    measureStartAt: string;
    /** Whole seconds its series was shifted by to align on the wall clock. */
    offsetSeconds: number;
    requests: number;
  }[];
  /** Spread of the shards' measurement starts, ms: how well the common start held. */
  maxSkewMs: number;
}

/** A shard result and the file it came from (named in errors). */
export interface ShardInput {
  file: string;
  shard: ShardResult;
}

function intervalFromJson(i: ShardResult['intervals'][number], offset: number): IntervalMessage {
  return {
    ...i,
    second: i.second + offset,
    targets: i.targets.map(
      (t): TargetInterval => ({
        ...t,
        service: fromJson(t.service),
        corrected: t.corrected && fromJson(t.corrected),
        failed: t.failed && fromJson(t.failed),
        classes: Object.fromEntries(Object.entries(t.classes).map(([k, h]) => [k, fromJson(h)])),
      }),
    ),
    sendDelay: i.sendDelay && fromJson(i.sendDelay),
    lateness: i.lateness && fromJson(i.lateness),
  };
}

function checkSamePlan(inputs: readonly ShardInput[]): void {
  const [first, ...rest] = inputs;
  for (const other of rest) {
    for (const key of Object.keys(first!.shard.plan) as (keyof ShardResult['plan'])[]) {
      const a = JSON.stringify(first!.shard.plan[key]);
      const b = JSON.stringify(other.shard.plan[key]);
      if (a !== b) {
        throw new TenonError(
          'TENON_LOAD_MERGE_MISMATCH',
          `${other.file} and ${first!.file} come from different plans: ${key} is ${b} vs ${a}.`,
          { hint: 'Merge the shards of one run only (the same --emit-k8s plan or the same flags).' },
        );
      }
    }
    if (other.shard.shard.count !== first!.shard.shard.count) {
      throw new TenonError(
        'TENON_LOAD_MERGE_MISMATCH',
        `${other.file} is a shard of ${other.shard.shard.count}, ${first!.file} of ${first!.shard.shard.count}.`,
        { hint: 'Merge the shards of one run only.' },
      );
    }
  }
  const n = first!.shard.shard.count;
  const seen = new Map<number, string>();
  for (const { file, shard } of inputs) {
    const twice = seen.get(shard.shard.index);
    if (twice !== undefined) {
      throw new TenonError(
        'TENON_LOAD_MERGE_INCOMPLETE',
        `Shard ${shard.shard.index} is given twice (${twice} and ${file}).`,
        { hint: 'Give each shard’s result once.' },
      );
    }
    seen.set(shard.shard.index, file);
  }
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new TenonError(
      'TENON_LOAD_MERGE_INCOMPLETE',
      `The run had ${n} shards; missing: ${missing.join(', ')}.`,
      {
        hint: 'Collect every pod’s result (kubectl logs job/NAME --all-pods, or the results volume); a partial merge would understate the load.',
      },
    );
  }
}

/** Checks that a shard's intervals add up to the totals it measured live (the standard HDR encoding). */
function checkIntegrity({ file, shard }: ShardInput, intervals: IntervalMessage[]): void {
  const totals = new Totals(true);
  for (const i of intervals) for (const t of i.targets) totals.addInterval(t);
  for (const which of ['corrected', 'service'] as const) {
    let published: hdr.Histogram;
    try {
      published = hdrPackage().decodeFromCompressedBase64(shard.histograms[which], 64);
    } catch (cause) {
      throw new TenonError('TENON_LOAD_MERGE_UNREADABLE', `${file}: histograms.${which} cannot be decoded.`, {
        cause,
        hint: 'The file is damaged; collect it again from the pod or its volume.',
      });
    }
    const mine = totals[which];
    const same =
      published.totalCount === mine.totalCount &&
      (mine.totalCount === 0 ||
        // Raw bucket values: the standard encoding keeps counts per bucket, not the exact maximum.
        [1, 50, 90, 99, 99.9, 100].every(
          (p) => published.getValueAtPercentile(p) === mine.getValueAtPercentile(p),
        ));
    if (!same) {
      throw new TenonError(
        'TENON_LOAD_MERGE_UNREADABLE',
        `${file}: its per-second intervals do not add up to its ${which} histogram (corrupt or edited).`,
        { hint: 'The file is damaged; collect it again from the pod or its volume.' },
      );
    }
  }
}

/**
 * Merges the results of a distributed run's shards into one result, as if
 * one process had run the whole plan. Exact: every shard's per-second
 * histograms are added bucket by bucket (no percentile is averaged), its
 * seconds placed on the wall-clock axis of the earliest shard, and
 * thresholds and the default checks are evaluated on the merge.
 *
 * @throws TenonError `TENON_LOAD_MERGE_MISMATCH`, `TENON_LOAD_MERGE_INCOMPLETE`, `TENON_LOAD_MERGE_UNREADABLE`
 */
export function mergeShards(inputs: readonly ShardInput[]): { result: LoadResult; merge: MergeInfo } {
  if (inputs.length === 0) {
    throw new TenonError('TENON_LOAD_MERGE_INCOMPLETE', 'No shard result to merge.', {
      hint: 'tenon load merge shard-0.json shard-1.json …',
    });
  }
  checkSamePlan(inputs);
  const sorted = [...inputs].sort((a, b) => a.shard.shard.index - b.shard.shard.index);
  const plan = sorted[0]!.shard.plan;
  const base = Math.min(...sorted.map((s) => s.shard.shard.measureStartMs));
  const offsets = sorted.map((s) => Math.round((s.shard.shard.measureStartMs - base) / 1000));
  const perShard = sorted.map((s, k) => {
    const intervals = s.shard.intervals.map((i) => intervalFromJson(i, offsets[k]!));
    checkIntegrity(s, intervals);
    return intervals;
  });

  const workers = sorted.reduce((sum, s) => sum + s.shard.shard.workers, 0);
  const options: ResolvedLoadOptions = {
    urls: plan.urls,
    targets: plan.targets?.map((t, i) => ({
      url: plan.urls[i]!,
      method: t.method ?? undefined,
      name: t.name ?? undefined,
    })),
    model: plan.model,
    rate: plan.rate ?? undefined,
    stages: plan.stages ?? undefined,
    connections: plan.connections,
    durationMs: plan.durationMs,
    requests: plan.requests ?? undefined,
    method: plan.method,
    headers: {},
    timeoutMs: plan.timeoutMs,
    warmupMs: plan.warmupMs,
    workers,
    thresholds: plan.thresholds,
    slo: plan.slo ?? undefined,
    expectStatus: plan.expectStatus,
    maxLateness: plan.maxLateness,
  };
  const targetRpsAt = (second: number) => {
    const mid = (second + 0.5) * 1000;
    if (plan.model !== 'open' || mid > plan.durationMs) return undefined;
    return plan.stages ? stageValueAt(plan.stages, mid) : (plan.rate ?? undefined);
  };
  // Worker ids are schedule slots (shard + count × worker): unique over the whole run.
  const aggregator = new LoadAggregator(plan.urls.length, workers, targetRpsAt);
  for (const message of perShard.flat().sort((a, b) => a.second - b.second)) aggregator.add(message);
  aggregator.finish();

  const shifted = (k: number) => sorted[k]!.shard.shard.measureStartMs - base;
  const result = buildLoadResult({
    options,
    targets: plan.urls.map((url) => ({ url })),
    aggregator,
    reports: sorted
      .flatMap((s, k) => s.shard.reports.map((r) => ({ ...r, endedAtMs: r.endedAtMs + shifted(k) })))
      .sort((a, b) => a.worker - b.worker),
    thresholds: resolveThresholds(plan.thresholds, plan.slo ?? undefined),
    version: sorted[0]!.shard.tool.version,
    startedAt: new Date(Math.min(...sorted.map((s) => Date.parse(s.shard.shard.startedAt)))),
    measuredMs: Math.max(...sorted.map((s, k) => s.shard.shard.measuredMs + shifted(k))),
    scheduleCount:
      plan.model === 'open'
        ? sorted.reduce((sum, s) => sum + (s.shard.shard.scheduleCount ?? 0), 0)
        : undefined,
    cpuCores: Math.round(sorted.reduce((sum, s) => sum + s.shard.shard.cpuCores, 0) * 100) / 100,
    interrupted: sorted.some((s) => s.shard.shard.interrupted),
  });
  return {
    result,
    merge: {
      shards: sorted.map((s, k) => ({
        index: s.shard.shard.index,
        file: s.file,
        workers: s.shard.shard.workers,
        measureStartAt: new Date(s.shard.shard.measureStartMs).toISOString(),
        offsetSeconds: offsets[k]!,
        requests: s.shard.summary.requests ?? 0,
      })),
      maxSkewMs: Math.round(Math.max(...sorted.map((_, k) => shifted(k)))),
    },
  };
}
