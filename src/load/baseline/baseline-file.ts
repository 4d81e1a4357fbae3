import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { TenonError } from '../../core/errors.js';
import { hostCpuFigures } from '../bottleneck/host-cpu-figures.js';
import { hdrPackage, type LatencyHistogram } from '../histogram.js';
import type { LoadResult } from '../load-result.js';
import { blockOf, encodeBlock, type LatencyBlocks } from './latency-blocks.js';
import type { LatencyHistograms, RunHistograms } from './run-histograms.js';

/** The `schema` of a baseline file; bumped on incompatible changes. */
export const BASELINE_SCHEMA = 'tenon.load.baseline/v1';

const figuresSchema = z.object({
  requests: z.object({ total: z.number(), ok: z.number(), errors: z.number() }),
  throughput: z.object({ rps: z.number(), attemptedRps: z.number() }),
  errors: z.object({ total: z.number(), rate: z.number(), byCategory: z.record(z.string(), z.number()) }),
  /** HdrHistogram's standard compressed base64 encoding (µs), as `encodeIntoCompressedBase64` writes it. */
  histograms: z.object({ corrected: z.string(), service: z.string() }),
  /** The same latencies per second of the run (same encoding), for the block bootstrap. */
  seconds: z.object({ corrected: z.array(z.string()), service: z.array(z.string()) }),
});

const baselineSchema = z.object({
  schema: z.literal(BASELINE_SCHEMA),
  tool: z.object({ name: z.literal('tenon'), version: z.string() }),
  savedAt: z.string(),
  startedAt: z.string(),
  model: z.enum(['open', 'closed']),
  durationSeconds: z.number().positive(),
  interrupted: z.boolean(),
  generatorSaturated: z.boolean(),
  /**
   * The machine's CPU over the run (Linux; absent elsewhere and in baselines saved before it was
   * recorded): a comparison warns when it differs, since a busy machine slows the target too.
   */
  machine: z
    .object({
      cpus: z.number(),
      busyPct: z.number(),
      runQueuePerCpu: z.number(),
      saturated: z.boolean(),
      /** The busy share less the run's own processes (`discounted`); absent in older baselines. */
      othersBusyPct: z.number().optional(),
      discounted: z.array(z.string()).optional(),
    })
    .optional(),
  options: z.object({
    urls: z.array(z.string()),
    method: z.string(),
    rate: z.number().nullable(),
    connections: z.number(),
    durationMs: z.number(),
    requests: z.number().nullable(),
    stages: z.array(z.object({ durationMs: z.number(), target: z.number() })).nullable(),
    warmupMs: z.number(),
    workers: z.number(),
    expectStatus: z.array(z.number()),
  }),
  ...figuresSchema.shape,
  endpoints: z.array(figuresSchema.extend({ name: z.string(), url: z.string(), method: z.string() })),
});

/** A saved baseline: a run's figures and HDR histograms (`tenon load --save-baseline FILE`). */
export type LoadBaseline = z.infer<typeof baselineSchema>;

/** A baseline read back, with its histograms decoded. */
export interface LoadedBaseline {
  file: string;
  baseline: LoadBaseline;
  histograms: RunHistograms;
}

const encode = (h: LatencyHistograms) => ({
  corrected: hdrPackage().encodeIntoCompressedBase64(h.corrected),
  service: hdrPackage().encodeIntoCompressedBase64(h.service),
});

/** Builds the baseline document of a run (`histograms`: from {@link runHistograms}). */
export function createBaseline(result: LoadResult, histograms: RunHistograms): LoadBaseline {
  const none: LatencyBlocks = { corrected: [], service: [] };
  const figures = (
    f: Pick<LoadResult, 'requests' | 'throughput' | 'errors'>,
    h: LatencyHistograms,
    blocks: LatencyBlocks = none,
  ): z.infer<typeof figuresSchema> => ({
    requests: { total: f.requests.total, ok: f.requests.ok, errors: f.requests.errors },
    throughput: { rps: f.throughput.rps, attemptedRps: f.throughput.attemptedRps },
    errors: { total: f.errors.total, rate: f.errors.rate, byCategory: { ...f.errors.byCategory } },
    histograms: encode(h),
    seconds: { corrected: blocks.corrected.map(encodeBlock), service: blocks.service.map(encodeBlock) },
  });
  const o = result.options;
  const host = hostCpuFigures(result.signals, result.generator.cpuCores);
  return {
    schema: BASELINE_SCHEMA,
    tool: result.tool,
    savedAt: new Date().toISOString(),
    startedAt: result.startedAt,
    model: result.model,
    durationSeconds: result.durationSeconds,
    interrupted: result.interrupted,
    generatorSaturated: result.generator.saturated,
    ...(host
      ? {
          machine: {
            cpus: host.cpus,
            busyPct: Math.round(host.busy * 1000) / 10,
            runQueuePerCpu: Math.round(host.runQueuePerCpu * 100) / 100,
            saturated: host.saturated,
            othersBusyPct: Math.round(host.othersBusy * 1000) / 10,
            discounted: host.discounted,
          },
        }
      : {}),
    options: {
      urls: o.urls,
      method: o.method,
      rate: o.rate,
      connections: o.connections,
      durationMs: o.durationMs,
      requests: o.requests,
      stages: o.stages,
      warmupMs: o.warmupMs,
      workers: o.workers,
      expectStatus: o.expectStatus,
    },
    ...figures(result, histograms, histograms.blocks?.all),
    endpoints: result.endpoints.map((e, i) => ({
      name: e.name,
      url: e.url,
      method: e.method,
      ...figures(e, histograms.endpoints[i]!, histograms.blocks?.endpoints[i]),
    })),
  };
}

function decode(file: string, where: string, base64: string): LatencyHistogram {
  try {
    return hdrPackage().decodeFromCompressedBase64(base64, 64, false);
  } catch (cause) {
    throw new TenonError('TENON_LOAD_BASELINE_INVALID', `${file}: the histogram ${where} is corrupt.`, {
      cause,
      hint: 'Save the baseline again with tenon load --save-baseline FILE; do not edit its histograms.',
      details: { file, path: where },
    });
  }
}

/**
 * Validates a baseline document and decodes its histograms.
 *
 * @throws TenonError `TENON_LOAD_BASELINE_INVALID` for anything but a
 *   `tenon.load.baseline/v1` document with readable histograms
 */
export function parseBaseline(text: string, file: string): LoadedBaseline {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new TenonError('TENON_LOAD_BASELINE_INVALID', `${file} is not JSON: ${(cause as Error).message}`, {
      cause,
      hint: 'Give a file written by tenon load --save-baseline FILE.',
      details: { file },
    });
  }
  const schema = (json as { schema?: unknown } | null)?.schema;
  if (schema !== BASELINE_SCHEMA) {
    throw new TenonError(
      'TENON_LOAD_BASELINE_INVALID',
      `${file} is not a tenon load baseline (schema ${JSON.stringify(schema ?? null)}, expected "${BASELINE_SCHEMA}").`,
      {
        hint:
          schema === 'tenon.load/v1'
            ? 'That is a --json/--out result, not a baseline: run tenon load … --save-baseline FILE.'
            : 'Give a file written by tenon load --save-baseline FILE (of this tenon version or an older v1).',
        details: { file, schema: schema ?? null },
      },
    );
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    throw new TenonError('TENON_LOAD_BASELINE_INVALID', `${file}: ${path || 'document'}: ${issue.message}.`, {
      hint: 'The file was edited or truncated; save the baseline again with --save-baseline FILE.',
      details: { file, path },
    });
  }
  const baseline = parsed.data;
  const pair = (where: string, h: { corrected: string; service: string }): LatencyHistograms => ({
    corrected: decode(file, `${where}.corrected`, h.corrected),
    service: decode(file, `${where}.service`, h.service),
  });
  const blocks = (where: string, s: { corrected: string[]; service: string[] }): LatencyBlocks => ({
    corrected: s.corrected.map((b, i) => blockOf(decode(file, `${where}.corrected.${i}`, b))),
    service: s.service.map((b, i) => blockOf(decode(file, `${where}.service.${i}`, b))),
  });
  return {
    file,
    baseline,
    histograms: {
      ...pair('histograms', baseline.histograms),
      endpoints: baseline.endpoints.map((e, i) => pair(`endpoints.${i}.histograms`, e.histograms)),
      blocks: {
        all: blocks('seconds', baseline.seconds),
        endpoints: baseline.endpoints.map((e, i) => blocks(`endpoints.${i}.seconds`, e.seconds)),
      },
    },
  };
}

/**
 * Reads and validates a baseline file.
 *
 * @throws TenonError `TENON_LOAD_BASELINE_UNREADABLE` (missing, unreadable),
 *   `TENON_LOAD_BASELINE_INVALID`
 */
export function readBaselineFile(path: string): LoadedBaseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new TenonError(
      'TENON_LOAD_BASELINE_UNREADABLE',
      `Cannot read the baseline ${path}: ${(cause as Error).message}`,
      {
        cause,
        hint: 'Save one first with tenon load URL … --save-baseline FILE, then compare with --compare FILE.',
        details: { file: path },
      },
    );
  }
  return parseBaseline(text, path);
}
