import * as z from 'zod';
import { intSchema } from '../core/config-values.js';
import { durationSchema } from '../core/duration.js';
import { DEFAULT_MAX_LATENESS, parseMaxLateness } from './generator-check.js';

const listSchema = z.union([z.array(z.string()), z.string()]).transform((v) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : v,
);

/**
 * Settings of `tenon load` in the config file (section `load`) and the
 * `TENON_LOAD_*` environment variables, with their defaults. The options of
 * `runLoad` extend this schema (load-options.ts), so a default is written
 * once; those left unset here (duration, connections, workers) depend on
 * the model and are decided by `resolveLoadOptions`.
 */
export const loadConfigSchema = z.strictObject({
  /** Measured duration, e.g. `30s`. */
  duration: durationSchema.optional(),
  /** Per request and per connection attempt. */
  timeout: durationSchema.default(10_000),
  /** Closed model: connections; open model: the connection cap. */
  connections: intSchema(1).optional(),
  /** Worker threads (default: all cores but one, at least 1). */
  workers: intSchema(1).optional(),
  /** Load before measurement, not recorded. */
  warmup: durationSchema.default(0),
  /** Thresholds every run checks, e.g. `["p99<200ms", "errors<0.1%"]` (a comma-separated list in the environment). */
  thresholds: listSchema.default([]),
  /**
   * Service-level objectives: `default` (P50<50ms, P95<200ms, P99<500ms,
   * >1000 req/s, errors<0.1%) or a comma-separated list of thresholds
   * (`p99<100ms,errors<1%`). A plain run checks them as thresholds; a
   * capacity search holds every rate to them.
   */
  slo: z.string().min(1).optional(),
  /**
   * Open model: how much of the mean corrected latency the generator's own
   * delay may be before the run is marked saturated: `20%` (default) or a
   * duration per request (`5ms`).
   */
  maxLateness: z
    .union([
      z.string(),
      z.number(),
      // Already parsed (the resolved settings passed on to runLoad).
      z.strictObject({ share: z.number().positive().lt(1) }),
      z.strictObject({ ms: z.number().positive() }),
    ])
    .default(DEFAULT_MAX_LATENESS)
    .transform((value, ctx) => {
      if (typeof value === 'object') return value;
      const parsed = parseMaxLateness(value);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: `maxLateness: ${parsed}` });
        return z.NEVER;
      }
      return parsed;
    }),
});

/** Resolved `load` settings. */
export type LoadConfig = z.output<typeof loadConfigSchema>;
