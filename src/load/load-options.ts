import { availableParallelism } from 'node:os';
import * as z from 'zod';
import { TenonError } from '../core/errors.js';
import type { MaxLateness } from './generator-check.js';
import { loadConfigSchema } from './load-config.js';
import type { LoadEvent } from './load-events.js';
import { parseStages } from './parse-stages.js';
import type { Stage } from './schedule.js';
import type { SignalOptions } from './signals/signal-recorder.js';

const stageSchema = z.object({ durationMs: z.number().positive(), target: z.number().nonnegative() });

const bodySchema = z.union([z.string(), z.custom<Uint8Array>((v) => v instanceof Uint8Array)]);

/** One request of a mix: its own method, headers (added to the common ones) and body. */
const targetSchema = z.strictObject({
  url: z.string().min(1),
  method: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: bodySchema.optional(),
  /** Name in results and reports; default `METHOD /path`. */
  name: z.string().min(1).optional(),
});

/**
 * The options of {@link runLoad}: the `load` settings of the config file
 * (same names, types and defaults: duration, timeout, connections, workers,
 * warmup, thresholds, slo) plus what a run needs besides. One schema gives
 * their type, defaults and validation. Durations accept `5s`-style strings
 * or milliseconds.
 */
export const loadOptionsSchema = loadConfigSchema
  .extend({
    /** One or more http:// URLs; requests go round-robin, the load is split evenly. */
    urls: z.array(z.string().min(1)).min(1).optional(),
    /** Instead of `urls`: a mix of requests, each with its own method, headers and body (round-robin too). */
    targets: z.array(targetSchema).min(1).optional(),
    /** `open` (requests on an arrival schedule) or `closed` (each connection loops). Default: open with --rate or --stages, else closed. */
    model: z.enum(['open', 'closed']).optional(),
    /** Open model: arrival rate, requests per second over all URLs. */
    rate: z.number().positive().optional(),
    /** Stop after this many requests (measured, over all workers). */
    requests: z.number().int().positive().optional(),
    method: z.string().min(1).default('GET'),
    headers: z.record(z.string(), z.string()).default({}),
    body: bodySchema.optional(),
    /** `10s:100,30s:1000` or parsed stages: ramp the rate (open) or connections (closed). */
    stages: z.union([z.string(), z.array(stageSchema)]).optional(),
    /** Statuses that count as success. Default: any status below 400. */
    expectStatus: z.array(z.number().int().min(100).max(599)).default([]),
    /** Aborting stops the run early; the result covers what was measured (`interrupted: true`). */
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
    /** Server-side signals to sample during the run (database, process, metrics endpoint): they feed `bottlenecks`. */
    signals: z.custom<SignalOptions>((v) => typeof v === 'object' && v !== null).optional(),
    /** Progress: when the run starts, then once per second of measurement. */
    onEvent: z.custom<(event: LoadEvent) => void>((v) => typeof v === 'function').optional(),
  })
  .superRefine((o, ctx) => {
    if ((o.urls === undefined) === (o.targets === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['urls'], message: 'give either urls or targets' });
    }
    if (typeof o.stages === 'string') {
      const parsed = parseStages(o.stages);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', path: ['stages'], message: parsed });
    }
    if (o.model === 'open' && o.rate === undefined && o.stages === undefined) {
      ctx.addIssue({ code: 'custom', path: ['rate'], message: 'the open model needs --rate or --stages' });
    }
    if (o.model === 'closed' && o.rate !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['rate'], message: '--rate makes no sense in the closed model' });
    }
  });

/** One request of a mix, as resolved: see the `targets` option. */
export type LoadTarget = z.output<typeof targetSchema>;

/** Options as callers write them. */
export type LoadOptions = z.input<typeof loadOptionsSchema>;

/** Options after validation, with everything decided. */
export interface ResolvedLoadOptions {
  urls: string[];
  /** Per-URL method, headers and body (index-aligned with `urls`), when the options gave `targets`. */
  targets?: LoadTarget[];
  model: 'open' | 'closed';
  rate?: number;
  stages?: Stage[];
  connections: number;
  durationMs: number;
  requests?: number;
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs: number;
  warmupMs: number;
  workers: number;
  thresholds: string[];
  slo?: string;
  expectStatus: number[];
  /** Open model: the tolerance on the generator's own delay. */
  maxLateness: MaxLateness;
}

/** Default connections of the closed model, and the default cap of the open model. */
export const DEFAULT_CLOSED_CONNECTIONS = 50;
export const DEFAULT_OPEN_CONNECTION_CAP = 1024;
/** A closed run with only --requests has no time limit; this is its safety net. */
const UNBOUNDED_MS = 24 * 3_600_000;

/**
 * Validates options and decides the model, duration and worker count.
 *
 * @throws TenonError `TENON_LOAD_OPTIONS_INVALID`
 */
export function resolveLoadOptions(input: LoadOptions): ResolvedLoadOptions {
  const result = loadOptionsSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`);
    throw new TenonError('TENON_LOAD_OPTIONS_INVALID', `Invalid load options:\n${problems.join('\n')}`, {
      cause: result.error,
      hint: 'See docs/load.md for the flags and their forms.',
    });
  }
  const o = result.data;
  const stages = typeof o.stages === 'string' ? (parseStages(o.stages) as Stage[]) : o.stages;
  const model = o.model ?? (o.rate !== undefined || stages !== undefined ? 'open' : 'closed');
  const stagesMs = stages?.reduce((sum, s) => sum + s.durationMs, 0);
  let durationMs = stagesMs ?? o.duration;
  if (durationMs === undefined) {
    if (o.requests !== undefined && model === 'open') durationMs = (o.requests / o.rate!) * 1000;
    else if (o.requests !== undefined) durationMs = UNBOUNDED_MS;
    else durationMs = 10_000;
  }
  const connections =
    o.connections ?? (model === 'open' ? DEFAULT_OPEN_CONNECTION_CAP : DEFAULT_CLOSED_CONNECTIONS);
  let workers = o.workers ?? Math.max(1, availableParallelism() - 1);
  // A worker without a connection would idle; never more workers than connections.
  if (model === 'closed' && !stages) workers = Math.min(workers, connections);
  return {
    urls: o.urls ?? o.targets!.map((t) => t.url),
    targets: o.targets,
    model,
    rate: o.rate,
    stages,
    connections,
    durationMs,
    requests: o.requests,
    method: o.method,
    headers: o.headers,
    body: o.body,
    timeoutMs: o.timeout,
    warmupMs: o.warmup,
    workers,
    thresholds: o.thresholds,
    slo: o.slo,
    expectStatus: o.expectStatus,
    maxLateness: o.maxLateness,
  };
}
