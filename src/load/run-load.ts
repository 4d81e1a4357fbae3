import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import { TenonError } from '../core/errors.js';
import { tenonVersion } from '../core/version.js';
import { BlockRecorder } from './baseline/latency-blocks.js';
import { attachRunBlocks } from './baseline/run-histograms.js';
import type { LatencyHistogram } from './histogram.js';
import { percentileUs } from './histogram-summary.js';
import { buildRequest } from './http-request.js';
import { LoadAggregator } from './load-aggregator.js';
import type { LoadEvent } from './load-events.js';
import { type LoadOptions, type ResolvedLoadOptions, resolveLoadOptions } from './load-options.js';
import type { LoadResult, SeriesPoint } from './load-result.js';
import { buildLoadResult, type WorkerReport } from './load-result-builder.js';
import { ArrivalSchedule, stageValueAt } from './schedule.js';
import { type ShardSpec, SINGLE_SHARD, shardScheduleCount, shardWorkerShares } from './shard.js';
import { SignalRecorder } from './signals/signal-recorder.js';
import { spawnLoadWorker } from './spawn-worker.js';
import { resolveThresholds } from './thresholds.js';
import type {
  IntervalMessage,
  MainMessage,
  WorkerMessage,
  WorkerPlan,
  WorkerTarget,
} from './worker-protocol.js';

/** A send more than this late, with a connection free, counts as late. */
export const LATE_BOUND_MS = 2;

/**
 * Runs a load test and returns its result. Work is spread over worker
 * threads, each with its own connections and histograms; their per-second
 * intervals are merged here exactly.
 *
 * @example
 * ```ts
 * import { runLoad } from 'tenon/load';
 * const result = await runLoad({
 *   urls: ['http://127.0.0.1:3000/health'],
 *   rate: 500,
 *   duration: '10s',
 *   thresholds: ['p99<50ms'],
 *   onEvent: (e) => {
 *     if (e.type === 'progress') console.log(e.progress.elapsedSeconds, e.progress.point.rps);
 *   },
 * });
 * if (result.status !== 'pass') process.exitCode = 1;
 * ```
 * @throws TenonError `TENON_LOAD_OPTIONS_INVALID`, `TENON_LOAD_URL_INVALID`,
 *   `TENON_LOAD_THRESHOLD_INVALID`, `TENON_LOAD_REQUEST_INVALID`, `TENON_LOAD_WORKER_FAILED`
 */
export async function runLoad(input: LoadOptions): Promise<LoadResult> {
  return (await executeLoad(input)).result;
}

/** A run's result and the merged histogram of its successful responses' latency (µs). */
export interface MeasuredLoad {
  result: LoadResult;
  /** Corrected latency (open model; service latency in the closed model) of the successes, all endpoints. */
  latency: LatencyHistogram;
}

/**
 * {@link runLoad}, also returning the latency histogram itself: the capacity
 * search pools the histograms of repeated steps and counts the samples
 * beyond a limit, which the result's summaries cannot give.
 */
export async function runLoadMeasured(input: LoadOptions): Promise<MeasuredLoad> {
  const run = await executeLoad(input);
  return {
    result: run.result,
    latency: run.options.model === 'open' ? run.totals.corrected : run.totals.service,
  };
}

/** How {@link executeLoad} runs: one shard of a distributed run, from a common start. */
export interface ExecuteLoadSetup {
  shard?: ShardSpec;
  /** Wall-clock start (epoch ms) shared by all shards; default: as soon as the workers are ready. */
  startAtMs?: number;
  /** Keep every worker interval (a shard's result carries them for an exact merge). */
  keepIntervals?: boolean;
}

/** A run's result and what a merge of shards needs besides. */
export interface ExecutedLoad {
  result: LoadResult;
  options: ResolvedLoadOptions;
  /** The workers' intervals, when asked to keep them. */
  intervals: IntervalMessage[];
  reports: WorkerReport[];
  /** All endpoints' latency totals, as measured live (a shard publishes them in the standard HDR encoding). */
  totals: { corrected: LatencyHistogram; service: LatencyHistogram };
  /** Wall-clock start of measurement, epoch ms. */
  measureStartMs: number;
  measuredMs: number;
  scheduleCount: number | undefined;
  cpuCores: number;
  startedAt: Date;
}

/** A start more than this late (ms) is refused: the shards would not overlap as planned. */
export const START_TOLERANCE_MS = 1000;

/**
 * Runs a load test (or one shard of one) and returns its result with the
 * raw measurements a merge needs. {@link runLoad} is the single-process form.
 *
 * @throws TenonError as {@link runLoad}, and `TENON_LOAD_SHARD_INVALID`, `TENON_LOAD_START_PASSED`
 */
export async function executeLoad(input: LoadOptions, setup: ExecuteLoadSetup = {}): Promise<ExecutedLoad> {
  const options = resolveLoadOptions(input);
  const shard = setup.shard ?? SINGLE_SHARD;
  const shares = shardWorkerShares(options, shard);
  const sharded = shard.count > 1;
  const { signal } = input;
  const emit = (event: LoadEvent) => input.onEvent?.(event);
  const plannedSeconds =
    options.requests !== undefined && options.model === 'closed' && input.duration === undefined
      ? undefined
      : options.durationMs / 1000;
  const thresholds = resolveThresholds(options.thresholds, options.slo);
  const version = tenonVersion();
  const targets = options.urls.map((url, i) => {
    const mix = options.targets?.[i];
    return buildRequest(
      {
        url,
        method: mix?.method ?? options.method,
        headers: { ...options.headers, ...mix?.headers },
        body: mix?.body ?? options.body,
      },
      `tenon/${version}`,
    );
  });
  const workerTargets: WorkerTarget[] = targets.map(({ host, port, request, head }) => ({
    host,
    port,
    request,
    head,
  }));
  const plans: WorkerPlan[] = shares.map((share) => ({
    index: share.slot,
    workers: share.slots,
    targets: workerTargets,
    model: options.model,
    rate: options.rate,
    stages: options.stages,
    connections: share.connections,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
    maxRequests: share.maxRequests,
    timeoutMs: options.timeoutMs,
    expectStatus: options.expectStatus,
    lateBoundMs: LATE_BOUND_MS,
  }));

  const schedule =
    options.model === 'open'
      ? new ArrivalSchedule({ rate: options.rate, stages: options.stages, durationMs: options.durationMs })
      : undefined;
  const targetRpsAt = (second: number) => {
    const mid = (second + 0.5) * 1000;
    if (options.model !== 'open' || mid > options.durationMs) return undefined;
    const rate = options.stages ? stageValueAt(options.stages, mid) : options.rate;
    return rate === undefined ? undefined : rate / shard.count;
  };
  const aggregator = new LoadAggregator(targets.length, plans.length, targetRpsAt);
  const intervals: IntervalMessage[] = [];
  const reports: WorkerReport[] = [];
  // Per-second histograms for baseline comparisons (--compare, --save-baseline).
  const blocks = new BlockRecorder(targets.length);
  const startedAt = new Date();
  const cpuBefore = process.cpuUsage();
  let measureStartAt = 0;
  let measureStartMs = 0;
  let interrupted = false;

  // Server-side signals: a source that cannot be read fails the run here, before any load is sent.
  const recorder = new SignalRecorder(input.signals ?? {});
  await recorder.prepare();

  const workers: Worker[] = [];
  const post = (message: MainMessage) => {
    for (const w of workers) w.postMessage(message);
  };
  const onAbort = () => {
    interrupted = true;
    post({ type: 'stop' });
  };

  try {
    await new Promise<void>((resolve, reject) => {
      let ready = 0;
      const fail = (message: string, cause?: unknown) =>
        reject(
          new TenonError('TENON_LOAD_WORKER_FAILED', `A load worker failed: ${message}`, {
            cause,
            hint: 'This is a bug in tenon. Run again with --verbose and report the output.',
          }),
        );
      const progress = (points: SeriesPoint[]) => {
        for (const point of points) {
          const all = aggregator.targets;
          const requests = all.reduce((s, t) => s + t.ended, 0);
          const errors = all.reduce((s, t) => s + t.errorCount, 0);
          const p99 = Math.max(
            0,
            ...all.map((t) => (t.corrected.totalCount ? percentileUs(t.corrected, 99) / 1000 : 0)),
          );
          emit({
            type: 'progress',
            progress: { elapsedSeconds: point.second, plannedSeconds, point, requests, errors, p99 },
          });
        }
      };
      // All workers ready: read the signals' baseline (waited for, bounded), then start.
      const go = async () => {
        // Without a warmup the baseline is read before any load, and waited for: read while the load
        // already ran, the first interval's statements would count in the baseline and be lost.
        if (options.warmupMs === 0 && setup.startAtMs === undefined) {
          try {
            await recorder.takeBaseline();
          } catch (error) {
            reject(error);
            return;
          }
        }
        // A short lead so every worker sees the start in the future.
        const now = performance.timeOrigin + performance.now();
        let startAt = now + 20;
        if (setup.startAtMs !== undefined) {
          // The workers' clock is monotonic; the shards share the wall clock.
          const lead = setup.startAtMs - Date.now();
          if (lead < -START_TOLERANCE_MS) {
            reject(startPassed(setup.startAtMs, -lead));
            return;
          }
          startAt = now + Math.max(20, lead);
        }
        measureStartAt = startAt + options.warmupMs;
        measureStartMs = Date.now() + (measureStartAt - now);
        recorder.begin(measureStartAt);
        emit({
          type: 'run-start',
          model: options.model,
          workers: options.workers,
          warmupMs: options.warmupMs,
          durationMs: plannedSeconds === undefined ? undefined : options.durationMs,
        });
        post({ type: 'start', startAt });
      };
      for (const plan of plans) {
        const worker = spawnLoadWorker(plan);
        workers.push(worker);
        worker.on('message', (message: WorkerMessage) => {
          switch (message.type) {
            case 'ready':
              if (++ready === workers.length) void go();
              break;
            case 'interval':
              blocks.add(message);
              if (setup.keepIntervals) intervals.push(message);
              progress(aggregator.add(message));
              break;
            case 'done':
              reports.push(message);
              if (reports.length === workers.length) resolve();
              break;
            case 'failed':
              fail(message.message, Object.assign(new Error(message.message), { stack: message.stack }));
              break;
          }
        });
        worker.on('error', (error) => fail(error.message, error));
        worker.on('exit', (code) => {
          if (reports.length < workers.length && !reports.some((r) => r.worker === plan.index)) {
            fail(`worker ${plan.index} exited with code ${code} before reporting`);
          }
        });
      }
      if (signal?.aborted) onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  } catch (error) {
    await recorder.close();
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  aggregator.finish();
  const signals = recorder.active
    ? await recorder.finish(performance.timeOrigin + performance.now()).finally(() => undefined)
    : null;

  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = Math.max(1, Date.now() - startedAt.getTime());
  const elapsedMs = performance.timeOrigin + performance.now() - measureStartAt;
  const lastMs = Math.max(0, ...reports.map((r) => r.endedAtMs));
  const unbounded =
    options.model === 'closed' &&
    options.requests !== undefined &&
    input.duration === undefined &&
    !options.stages;
  const measuredMs = interrupted
    ? Math.max(1, Math.min(elapsedMs, options.durationMs))
    : Math.max(lastMs, unbounded ? 1 : options.durationMs);
  const scheduleCount = schedule
    ? shardScheduleCount(Math.min(schedule.count, options.requests ?? Number.POSITIVE_INFINITY), shard)
    : undefined;
  const cpuCores = Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100) / 100;
  const sortedReports = reports.sort((a, b) => a.worker - b.worker);
  const result = buildLoadResult({
    signals,
    options: sharded ? { ...options, workers: plans.length } : options,
    targets,
    aggregator,
    reports: sortedReports,
    // A shard carries a share of the load: thresholds are judged on the merge.
    thresholds: sharded ? [] : thresholds,
    version,
    startedAt,
    measuredMs,
    scheduleCount,
    cpuCores,
    interrupted,
  });
  const all = aggregator.all;
  attachRunBlocks(result, () => blocks.finish());
  try {
    // What the database layer says about the statement the verdict names (EXPLAIN, index advice).
    const named = result.bottlenecks.find((b) => b.kind === 'database' && b.statement);
    if (named?.statement && input.signals?.db) {
      named.statement.advice = await input.signals.db.advise(named.statement.query);
    }
  } finally {
    await recorder.close();
  }
  return {
    result,
    options,
    totals: { corrected: all.corrected, service: all.service },
    intervals,
    reports: sortedReports,
    measureStartMs,
    measuredMs,
    scheduleCount,
    cpuCores,
    startedAt,
  };
}

function startPassed(startAtMs: number, lateMs: number): TenonError {
  return new TenonError(
    'TENON_LOAD_START_PASSED',
    `The common start ${new Date(startAtMs).toISOString()} passed ${Math.round(lateMs / 1000)} s before this shard was ready.`,
    {
      hint: 'Choose a --start-at far enough ahead for every pod to be scheduled and pull its image, and check the clocks.',
    },
  );
}
