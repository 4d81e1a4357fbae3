import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import { TenonError } from '../core/errors.js';
import { tenonVersion } from '../core/version.js';
import { percentileUs } from './histogram.js';
import { buildRequest } from './http-request.js';
import { LoadAggregator } from './load-aggregator.js';
import type { LoadEvent } from './load-events.js';
import { type LoadOptions, resolveLoadOptions } from './load-options.js';
import type { LoadResult, SeriesPoint } from './load-result.js';
import { buildLoadResult, type WorkerReport } from './load-result-builder.js';
import { ArrivalSchedule, stageValueAt } from './schedule.js';
import { SignalRecorder } from './signals/signal-recorder.js';
import { spawnLoadWorker } from './spawn-worker.js';
import { resolveThresholds } from './thresholds.js';
import type { MainMessage, WorkerMessage, WorkerPlan, WorkerTarget } from './worker-protocol.js';

/** A send more than this late, with a connection free, counts as late. */
export const LATE_BOUND_MS = 2;

function split(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

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
  const options = resolveLoadOptions(input);
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
  const plans: WorkerPlan[] = Array.from({ length: options.workers }, (_, index) => ({
    index,
    workers: options.workers,
    targets: workerTargets,
    model: options.model,
    rate: options.rate,
    stages: options.stages,
    connections:
      options.model === 'open'
        ? Math.max(1, Math.ceil(options.connections / options.workers))
        : split(options.connections, options.workers, index),
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
    maxRequests: options.requests === undefined ? undefined : split(options.requests, options.workers, index),
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
    return options.stages ? stageValueAt(options.stages, mid) : options.rate;
  };
  const aggregator = new LoadAggregator(targets.length, options.workers, targetRpsAt);
  const reports: WorkerReport[] = [];
  const startedAt = new Date();
  const cpuBefore = process.cpuUsage();
  let measureStartAt = 0;
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
      for (const plan of plans) {
        const worker = spawnLoadWorker(plan);
        workers.push(worker);
        worker.on('message', (message: WorkerMessage) => {
          switch (message.type) {
            case 'ready':
              if (++ready === workers.length) {
                // A short lead so every worker sees the start in the future.
                const startAt = performance.timeOrigin + performance.now() + 20;
                measureStartAt = startAt + options.warmupMs;
                recorder.begin(measureStartAt);
                emit({
                  type: 'run-start',
                  model: options.model,
                  workers: options.workers,
                  warmupMs: options.warmupMs,
                  durationMs: plannedSeconds === undefined ? undefined : options.durationMs,
                });
                post({ type: 'start', startAt });
              }
              break;
            case 'interval':
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
  const result = buildLoadResult({
    signals,
    options,
    targets,
    aggregator,
    reports: reports.sort((a, b) => a.worker - b.worker),
    thresholds,
    version,
    startedAt,
    measuredMs,
    scheduleCount: schedule
      ? Math.min(schedule.count, options.requests ?? Number.POSITIVE_INFINITY)
      : undefined,
    cpuCores: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100) / 100,
    interrupted,
  });
  try {
    // What the database layer says about the statement the verdict names (EXPLAIN, index advice).
    const named = result.bottlenecks.find((b) => b.kind === 'database' && b.statement);
    if (named?.statement && input.signals?.db) {
      named.statement.advice = await input.signals.db.advise(named.statement.query);
    }
  } finally {
    await recorder.close();
  }
  return result;
}
