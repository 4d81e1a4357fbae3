import { createHash } from 'node:crypto';
import * as z from 'zod';
import { TenonError } from '../core/errors.js';
import type { EncodedHistogram } from './encoded-histogram.js';
import { ERROR_CATEGORIES } from './error-category.js';
import type { MaxLateness } from './generator-check.js';
import { hdrPackage, MAX_LATENCY_US } from './histogram.js';
import type { ResolvedLoadOptions } from './load-options.js';
import type { ExecutedLoad } from './run-load.js';
import type { ShardSpec } from './shard.js';
import type { DoneMessage, IntervalMessage, TargetInterval } from './worker-protocol.js';

/** The `schema` of a shard's result file. */
export const SHARD_RESULT_SCHEMA = 'tenon.load.shard/v1';

const num = z.number().finite();
const count = z.number().int().nonnegative();

/** An encoded histogram in JSON: its non-empty buckets (index, count) and the exact extremes, µs. */
const histogramSchema = z
  .strictObject({ min: num, max: num, indexes: z.array(count), counts: z.array(z.number().positive()) })
  .refine((h) => h.indexes.length === h.counts.length, 'indexes and counts differ in length')
  .refine((h) => h.indexes.every((v, i) => i === 0 || v > h.indexes[i - 1]!), 'indexes not ascending')
  .refine((h) => h.max <= MAX_LATENCY_US && h.min <= h.max, 'min/max out of range');

const errorsSchema = z.strictObject(
  Object.fromEntries(ERROR_CATEGORIES.map((c) => [c, count])) as Record<
    (typeof ERROR_CATEGORIES)[number],
    typeof count
  >,
);

const targetIntervalSchema = z.strictObject({
  service: histogramSchema,
  corrected: histogramSchema.nullable(),
  failed: histogramSchema.nullable(),
  rateLimit: z.record(z.string(), z.string()).nullable(),
  classes: z.record(z.string(), histogramSchema),
  statuses: z.record(z.string(), count),
  errors: errorsSchema,
  responses: count,
  ok: count,
  sent: count,
  bytes: count,
});

const intervalSchema = z.strictObject({
  type: z.literal('interval'),
  worker: count,
  second: count,
  spanMs: num,
  targets: z.array(targetIntervalSchema),
  sendDelay: histogramSchema.nullable(),
  lateness: histogramSchema.nullable(),
  late: count,
  queued: count,
  peakInUse: count,
  open: count,
});

const reportSchema = z.strictObject({
  type: z.literal('done'),
  worker: count,
  lag: z.strictObject({ mean: num, p50: num, p99: num, max: num }),
  stallDelayMs: num,
  ownSend: z.strictObject({ delayMs: num, sends: count }),
  utilization: num,
  cpu: num.nullable(),
  connectionsOpened: count,
  endedAtMs: num,
});

/**
 * What must be equal in every shard of one run: the targets and the load
 * asked for. Headers and bodies are compared by a hash, so that
 * credentials never land in result files.
 */
const planSchema = z.strictObject({
  urls: z.array(z.string()).min(1),
  /** Per URL: its method and name (a mix of requests); null for plain URLs. */
  targets: z.array(z.strictObject({ method: z.string().nullable(), name: z.string().nullable() })).nullable(),
  method: z.string(),
  /** SHA-256 of the methods, headers and bodies of the requests. */
  requestSha256: z.string(),
  model: z.enum(['open', 'closed']),
  rate: num.nullable(),
  stages: z.array(z.strictObject({ durationMs: num, target: num })).nullable(),
  connections: count,
  durationMs: num,
  requests: count.nullable(),
  warmupMs: num,
  timeoutMs: num,
  expectStatus: z.array(count),
  maxLateness: z.union([z.strictObject({ share: num }), z.strictObject({ ms: num })]),
  thresholds: z.array(z.string()),
  slo: z.string().nullable(),
});

/** A shard's plan, as recorded in its result. */
export type ShardPlan = z.output<typeof planSchema>;

const shardResultSchema = z.strictObject({
  schema: z.literal(SHARD_RESULT_SCHEMA),
  tool: z.strictObject({ name: z.literal('tenon'), version: z.string() }),
  plan: planSchema,
  shard: z.strictObject({
    index: count,
    count: count.min(1),
    workers: count.min(1),
    startedAt: z.string(),
    /** The common start asked for (ISO), null when the shard started on its own. */
    startAt: z.string().nullable(),
    /** Wall-clock start of measurement, epoch ms: the merge aligns seconds on it. */
    measureStartMs: num,
    measuredMs: num,
    scheduleCount: count.nullable(),
    cpuCores: num,
    interrupted: z.boolean(),
  }),
  /** A glance for whoever reads the pod's log (p50/p99 null when nothing succeeded); the merge does not use it. */
  summary: z.record(z.string(), num.nullable()),
  /**
   * The shard's totals in the standard HdrHistogram V2 compressed Base64
   * encoding (readable by any HdrHistogram library); the merge checks the
   * intervals against them.
   */
  histograms: z.strictObject({ corrected: z.string(), service: z.string() }),
  intervals: z.array(intervalSchema),
  reports: z.array(reportSchema),
});

/** A shard's result file (`--result-json`): everything an exact merge needs. */
export type ShardResult = z.output<typeof shardResultSchema>;

type JsonHistogram = z.output<typeof histogramSchema>;

const toJson = (h: EncodedHistogram): JsonHistogram => ({
  min: h.min,
  max: h.max,
  indexes: Array.from(h.indexes),
  counts: Array.from(h.counts),
});

/** A histogram of a shard result, back to the form the aggregator adds. */
export const fromJson = (h: JsonHistogram): EncodedHistogram => ({
  min: h.min,
  max: h.max,
  indexes: Uint32Array.from(h.indexes),
  counts: Float64Array.from(h.counts),
});

function targetToJson(t: TargetInterval) {
  return {
    ...t,
    service: toJson(t.service),
    corrected: t.corrected && toJson(t.corrected),
    failed: t.failed && toJson(t.failed),
    classes: Object.fromEntries(Object.entries(t.classes).map(([k, h]) => [k, toJson(h)])),
  };
}

/** The plan of a run, as shards compare it. */
export function shardPlan(options: ResolvedLoadOptions): ShardPlan {
  const hash = createHash('sha256');
  const part = (value: string | Uint8Array | undefined) => {
    hash.update(value === undefined ? '\0none' : typeof value === 'string' ? `s${value}` : value);
    hash.update('\0');
  };
  part(options.method);
  part(JSON.stringify(Object.entries(options.headers).sort()));
  part(options.body);
  for (const t of options.targets ?? []) {
    part(t.method);
    part(JSON.stringify(Object.entries(t.headers ?? {}).sort()));
    part(t.body);
  }
  return {
    urls: options.urls,
    targets: options.targets?.map((t) => ({ method: t.method ?? null, name: t.name ?? null })) ?? null,
    method: options.method,
    requestSha256: hash.digest('hex'),
    model: options.model,
    rate: options.rate ?? null,
    stages: options.stages ?? null,
    connections: options.connections,
    durationMs: options.durationMs,
    requests: options.requests ?? null,
    warmupMs: options.warmupMs,
    timeoutMs: options.timeoutMs,
    expectStatus: options.expectStatus,
    maxLateness: options.maxLateness as MaxLateness,
    thresholds: options.thresholds,
    slo: options.slo ?? null,
  };
}

/** Builds a shard's result file from its run. */
export function toShardResult(run: ExecutedLoad, shard: ShardSpec, startAt: Date | undefined): ShardResult {
  const { result } = run;
  return {
    schema: SHARD_RESULT_SCHEMA,
    tool: result.tool,
    plan: shardPlan(run.options),
    shard: {
      index: shard.index,
      count: shard.count,
      workers: result.generator.workers,
      startedAt: result.startedAt,
      startAt: startAt?.toISOString() ?? null,
      measureStartMs: run.measureStartMs,
      measuredMs: run.measuredMs,
      scheduleCount: run.scheduleCount ?? null,
      cpuCores: run.cpuCores,
      interrupted: result.interrupted,
    },
    summary: {
      requests: result.requests.total,
      ok: result.requests.ok,
      errors: result.requests.errors,
      rps: result.throughput.rps,
      p50: result.latency[result.latencyCorrected ? 'corrected' : 'service'].p50,
      p99: result.latency[result.latencyCorrected ? 'corrected' : 'service'].p99,
    },
    histograms: {
      corrected: hdrPackage().encodeIntoCompressedBase64(run.totals.corrected),
      service: hdrPackage().encodeIntoCompressedBase64(run.totals.service),
    },
    intervals: run.intervals.map((i: IntervalMessage) => ({
      ...i,
      targets: i.targets.map(targetToJson),
      sendDelay: i.sendDelay && toJson(i.sendDelay),
      lateness: i.lateness && toJson(i.lateness),
    })),
    reports: run.reports.map((r: DoneMessage) => ({ ...r })),
  };
}

/**
 * Finds and validates the shard results in a file's text: the file itself,
 * or pods' logs where each result is a line starting with
 * `{"schema":"tenon.load.shard/v1"` (other lines are ignored; several
 * shards may share one log file).
 *
 * @throws TenonError `TENON_LOAD_MERGE_UNREADABLE`
 */
export function parseShardResults(text: string, file: string): ShardResult[] {
  const unreadable = (why: string, cause?: unknown) =>
    new TenonError('TENON_LOAD_MERGE_UNREADABLE', `${file}: ${why}`, {
      cause,
      hint: 'Give the files written by --result-json, or the pods’ logs (kubectl logs) of a run with --result-json -.',
      details: { file },
    });
  const lines = text.split('\n').filter((l) => l.startsWith(`{"schema":"${SHARD_RESULT_SCHEMA}"`));
  return (lines.length > 0 ? lines : [text]).map((line) => {
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (cause) {
      throw unreadable(`not a tenon shard result (no complete ${SHARD_RESULT_SCHEMA} JSON found).`, cause);
    }
    const parsed = shardResultSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw unreadable(`invalid shard result at ${issue.path.join('.') || 'top level'}: ${issue.message}`);
    }
    return parsed.data;
  });
}
