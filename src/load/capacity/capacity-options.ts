import * as z from 'zod';
import { durationSchema } from '../../core/duration.js';
import { TenonError } from '../../core/errors.js';
import type { LoadProgress } from '../load-events.js';
import type { LoadOptions } from '../load-options.js';
import type { CapacityStep } from './capacity-result.js';

/** Progress of a capacity search. */
export type CapacityEvent =
  /** A run at `rate` starts (repeat from 1). */
  | { type: 'repeat-start'; rate: number; repeat: number; durationMs: number }
  /** Once per second of a run. */
  | { type: 'progress'; rate: number; repeat: number; progress: LoadProgress }
  /** A rate was decided (or given up on). */
  | { type: 'step-done'; step: CapacityStep };

/** The search's own settings; the request settings are those of `runLoad`. */
export const capacitySettingsSchema = z.object({
  /** The objectives each rate is held to: `p99<100ms`, `p95<50ms,p99<200ms,errors<1%`, or `default`. */
  slo: z.union([z.string(), z.array(z.string())]),
  /** The highest rate to try, req/s over all URLs. */
  maxRate: z.number().positive(),
  /** The first rate tried (default maxRate / 16). */
  startRate: z.number().positive().optional(),
  /** The lowest rate tried when even the first fails (default startRate / 16). */
  minRate: z.number().positive().optional(),
  /** Measured time of each run (default 5s); lengthened when a run could not hold enough samples to decide. */
  stepDuration: durationSchema.default(5000),
  /** The longest a run is lengthened to (default 4 × stepDuration). */
  maxStepDuration: durationSchema.optional(),
  /** Load before each run's measurement, not recorded (default 500ms): fresh connections and a cold worker would tint the first responses. */
  warmup: durationSchema.default(500),
  /** Idle time between runs, so a backlog left by an overloaded run drains (default 1s). */
  pause: durationSchema.default(1000),
  /** Runs pooled at each rate before it may be decided (default 2): never one noisy run. */
  minRepeats: z.number().int().positive().default(2),
  /** Most runs at one rate (default 5); still undecided then, the rate counts as not met. */
  maxRepeats: z.number().int().positive().default(5),
  /** Confidence a decision needs, 0.5–0.9999 (default 0.95). */
  confidence: z.number().min(0.5).max(0.9999).default(0.95),
  /** Stop when the gap between the highest rate met and the lowest not met is at most this share (default 0.1). */
  precision: z.number().positive().max(1).default(0.1),
  /** Time budget of the whole search (default 10m). */
  maxTime: durationSchema.default(600_000),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  onEvent: z.custom<(event: CapacityEvent) => void>((v) => typeof v === 'function').optional(),
});

/**
 * Options of {@link findCapacity}: what to request (as for `runLoad`:
 * `urls` or `targets`, method, headers, body, expectStatus, timeout,
 * connections, workers, maxLateness: default 5 % of the tightest latency
 * limit per request) and how to search. The search sets
 * the model (open), the rate and the duration of each run itself.
 */
export type CapacityOptions = Omit<
  LoadOptions,
  | 'rate'
  | 'stages'
  | 'model'
  | 'requests'
  | 'duration'
  | 'warmup'
  | 'thresholds'
  | 'slo'
  | 'signal'
  | 'onEvent'
> &
  z.input<typeof capacitySettingsSchema>;

/** The search's settings, resolved. */
export type CapacitySettings = z.output<typeof capacitySettingsSchema> & {
  startRate: number;
  minRate: number;
  maxStepDuration: number;
};

const NOT_HERE = ['rate', 'stages', 'model', 'requests', 'duration', 'thresholds'] as const;

/**
 * Splits and checks the options: the search's settings, and the request
 * options passed on to every run.
 *
 * @throws TenonError `TENON_LOAD_CAPACITY_INVALID`
 */
export function resolveCapacityOptions(input: CapacityOptions): {
  settings: CapacitySettings;
  request: LoadOptions;
} {
  const given = input as Record<string, unknown>;
  const clash = NOT_HERE.filter((k) => given[k] !== undefined);
  const invalid = (problems: string[]) =>
    new TenonError('TENON_LOAD_CAPACITY_INVALID', `Invalid capacity search:\n${problems.join('\n')}`, {
      hint: "e.g. tenon load URL --find-capacity --slo 'p99<100ms' --max-rate 2000 (see docs/load.md#capacity-search).",
    });
  if (clash.length > 0)
    throw invalid(clash.map((k) => `${k}: the search sets it for each run; leave it out`));
  const parsed = capacitySettingsSchema.safeParse(input);
  if (!parsed.success)
    throw invalid(parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`));
  const s = parsed.data;
  const startRate = s.startRate ?? s.maxRate / 16;
  const minRate = s.minRate ?? startRate / 16;
  const problems: string[] = [];
  if (startRate > s.maxRate) problems.push(`startRate: ${startRate} is above maxRate ${s.maxRate}`);
  if (minRate > startRate) problems.push(`minRate: ${minRate} is above the start rate ${startRate}`);
  if (s.minRepeats > s.maxRepeats)
    problems.push(`minRepeats: ${s.minRepeats} is above maxRepeats ${s.maxRepeats}`);
  if (s.stepDuration < 100) problems.push('stepDuration: at least 100ms');
  if (problems.length > 0) throw invalid(problems);
  const {
    slo: _slo,
    maxRate: _max,
    startRate: _start,
    minRate: _min,
    stepDuration: _step,
    maxStepDuration: _maxStep,
    warmup: _warmup,
    pause: _pause,
    minRepeats: _minR,
    maxRepeats: _maxR,
    confidence: _conf,
    precision: _prec,
    maxTime: _time,
    signal: _signal,
    onEvent: _event,
    ...request
  } = input;
  return {
    settings: {
      ...s,
      startRate,
      minRate,
      maxStepDuration: Math.max(s.stepDuration, s.maxStepDuration ?? 4 * s.stepDuration),
    },
    request: request as LoadOptions,
  };
}
