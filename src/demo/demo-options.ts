import * as z from 'zod';
import { durationSchema } from '../core/duration.js';
import type { LoadProgress } from '../load/index.js';

/** Options of `runDemo`. */
export const demoOptionsSchema = z.strictObject({
  /** Project folder (relative to `cwd`); default `.tenon/demo/<timestamp>`. Must be new or empty. */
  dir: z.string().min(1).optional(),
  framework: z.enum(['fastify', 'express']).default('fastify'),
  /** A server PostgreSQL (an empty database); default: PGlite in memory, served by this process. */
  databaseUrl: z.string().min(1).optional(),
  /** Measured time of each steady load run; each capacity search may take 1.5× as long (at least 15 s). */
  duration: durationSchema.default(20_000),
  /** Rate of the steady runs, req/s over the whole mix. */
  rate: z.number().positive().default(50),
  /** Highest rate the capacity searches try, req/s. */
  maxRate: z.number().positive().default(400),
  /** The p99 target (ms): a threshold of the steady runs, and the SLO of the capacity searches. */
  p99Target: z.number().positive().default(100),
  /** Rows to seed (scaled from the defaults; 1 = 190,000 rows). */
  scale: z.number().positive().default(1),
  /** Cache the empty PGlite cluster in `.tenon/cache` (skips initdb on later runs). */
  cache: z.boolean().default(true),
  cwd: z.string().default(() => process.cwd()),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  onEvent: z.custom<(event: DemoEvent) => void>((v) => typeof v === 'function').optional(),
});

/** Options of `runDemo`, as given. */
export type DemoOptions = z.input<typeof demoOptionsSchema>;

/** The steps of a demo, in order. */
export const DEMO_STEPS = [
  'generate',
  'database',
  'start',
  'login',
  'load-before',
  'capacity-before',
  'analyze',
  'fix',
  'load-after',
  'capacity-after',
] as const;

/** One step of {@link DEMO_STEPS}. */
export type DemoStep = (typeof DEMO_STEPS)[number];

/** Progress of a demo. */
export type DemoEvent =
  | { type: 'step-start'; step: DemoStep; index: number; total: number; message: string }
  | { type: 'step-done'; step: DemoStep; durationMs: number; message: string }
  /** Once per second of a load step. */
  | { type: 'load-progress'; step: DemoStep; progress: LoadProgress };
