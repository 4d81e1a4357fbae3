import * as z from 'zod';
import { TenonError } from '../core/errors.js';
import type { LoadOptions, ResolvedLoadOptions } from './load-options.js';

/** The `schema` of a distributed run's plan file (the ConfigMap's `plan.json`). */
export const LOAD_PLAN_SCHEMA = 'tenon.load.plan/v1';

/**
 * A distributed run's plan: the load options of the whole run, how many
 * shards share it and when they start. Every pod reads the same file and
 * takes its share by `JOB_COMPLETION_INDEX`. Bodies travel in Base64.
 */
export interface LoadPlan {
  schema: typeof LOAD_PLAN_SCHEMA;
  shardCount: number;
  /** The common wall-clock start (ISO 8601). */
  startAt: string;
  options: Record<string, unknown>;
}

const planFileSchema = z.object({
  schema: z.literal(LOAD_PLAN_SCHEMA),
  shardCount: z.number().int().min(1),
  startAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO 8601 time'),
  options: z.record(z.string(), z.unknown()),
});

const base64 = (body: string | Uint8Array | undefined) =>
  body === undefined ? undefined : Buffer.from(body).toString('base64');

/** Writes the plan of a run split in `shardCount` shards starting at `startAt`. */
export function buildLoadPlan(options: ResolvedLoadOptions, shardCount: number, startAt: Date): LoadPlan {
  const targets = options.targets?.map(({ body, ...t }) => ({ ...t, bodyBase64: base64(body) }));
  return {
    schema: LOAD_PLAN_SCHEMA,
    shardCount,
    startAt: startAt.toISOString(),
    options: {
      ...(targets ? { targets } : { urls: options.urls }),
      model: options.model,
      rate: options.rate,
      stages: options.stages,
      connections: options.connections,
      duration: options.durationMs,
      requests: options.requests,
      method: options.method,
      headers: options.headers,
      bodyBase64: base64(options.body),
      timeout: options.timeoutMs,
      warmup: options.warmupMs,
      workers: options.workers,
      thresholds: options.thresholds,
      slo: options.slo,
      expectStatus: options.expectStatus,
      maxLateness: options.maxLateness,
    },
  };
}

/**
 * Reads a plan file's text back into load options (validated later by
 * `runLoad` like any options).
 *
 * @throws TenonError `TENON_LOAD_PLAN_INVALID`
 */
export function parseLoadPlan(
  text: string,
  file: string,
): { options: LoadOptions; shardCount: number; startAt: Date } {
  let parsed: z.output<typeof planFileSchema>;
  try {
    parsed = planFileSchema.parse(JSON.parse(text));
  } catch (cause) {
    throw new TenonError(
      'TENON_LOAD_PLAN_INVALID',
      `${file} is not a tenon load plan (${LOAD_PLAN_SCHEMA}).`,
      {
        cause,
        hint: 'Use the plan.json written by tenon load --emit-k8s (the ConfigMap mounts it at /etc/tenon/plan.json).',
      },
    );
  }
  const { bodyBase64, targets, ...rest } = parsed.options as {
    bodyBase64?: string;
    targets?: { bodyBase64?: string }[];
  };
  const body = (b: string | undefined) =>
    b === undefined ? undefined : new Uint8Array(Buffer.from(b, 'base64'));
  return {
    options: {
      ...(rest as LoadOptions),
      ...(bodyBase64 === undefined ? {} : { body: body(bodyBase64) }),
      ...(targets
        ? {
            targets: targets.map(({ bodyBase64: b, ...t }) => ({ ...(t as { url: string }), body: body(b) })),
          }
        : {}),
    } as LoadOptions,
    shardCount: parsed.shardCount,
    startAt: new Date(parsed.startAt),
  };
}
