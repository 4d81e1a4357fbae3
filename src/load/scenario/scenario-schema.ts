import * as z from 'zod';
import { durationSchema } from '../../core/duration.js';

/** Names of flows, steps, variables and data sets: they appear in thresholds (`flow.step:p99<…`). */
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const nameSchema = z.string().regex(NAME, 'use letters, digits, _ and - (starting with a letter or _)');

const fn = <T extends (...args: never[]) => unknown>() =>
  z.custom<T>((v) => typeof v === 'function', 'expected a function');

/** What a step's request looks like once sent, for extraction and checks written as functions. */
export interface ScenarioResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with `, `. */
  headers: Readonly<Record<string, string>>;
  /** The body as UTF-8 text. */
  text: string;
  /** The body parsed as JSON (`undefined` when it is not JSON). */
  json: unknown;
}

/** The variables of one virtual user: its own, those extracted so far, and its data rows. */
export type ScenarioVars = Record<string, unknown>;

/** A value computed from the variables at send time (TypeScript/JavaScript scenarios only). */
export type VarsFunction<T> = (vars: ScenarioVars) => T;

/** How to pull a variable out of a response. */
const extractorSchema = z.union([
  z.strictObject({ json: z.string().regex(/^(\/.*)?$/, 'a JSON pointer starts with "/" (or is "")') }),
  z.strictObject({ header: z.string().min(1) }),
  z.strictObject({ regex: z.string().min(1) }),
  fn<(response: ScenarioResponse, vars: ScenarioVars) => unknown>(),
]);

/** What a step's response must satisfy; a failed check fails the step and its flow. */
const checkSchema = z.strictObject({
  /** Expected status (or one of a list). Default: any status below 400. */
  status: z
    .union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)])
    .optional(),
  /** JSON pointers that must exist in the body. */
  has: z.array(z.string().regex(/^(\/.*)?$/, 'a JSON pointer starts with "/"')).optional(),
  /** JSON pointer → expected value (strings are templates). */
  json: z.record(z.string(), z.unknown()).optional(),
  /** Text the body must contain. */
  bodyIncludes: z.string().optional(),
  /** A function: `true` passes, `false` or a message fails. */
  fn: fn<(response: ScenarioResponse, vars: ScenarioVars) => boolean | string>().optional(),
});

/** Think time: a fixed duration, or uniformly random between `min` and `max`. */
const thinkSchema = z.union([
  durationSchema,
  z.strictObject({ min: durationSchema, max: durationSchema }).refine((t) => t.max >= t.min, {
    message: 'max must not be below min',
  }),
]);

const templated = z.union([z.string().min(1), fn<VarsFunction<string>>()]);

/** One request of a flow. */
export const stepSchema = z
  .strictObject({
    name: nameSchema,
    method: z
      .string()
      .regex(/^[A-Za-z]+$/, 'an HTTP method such as GET or POST')
      .default('GET'),
    /** Absolute `http://` URL or a path joined to `baseUrl`; `{{var}}` templates. */
    url: templated,
    headers: z.record(z.string(), templated).optional(),
    /** Raw body text (templates). */
    body: templated.optional(),
    /** A JSON body: string leaves are templates; a leaf that is exactly `{{var}}` keeps the variable's type. */
    json: z.union([fn<VarsFunction<unknown>>(), z.unknown()]).optional(),
    /** Variable name → how to extract it from the response. */
    extract: z.record(nameSchema, extractorSchema).optional(),
    check: z
      .union([checkSchema, fn<(response: ScenarioResponse, vars: ScenarioVars) => boolean | string>()])
      .optional(),
    /** Pause after the step (part of the flow's duration, never of the step's latency). */
    think: thinkSchema.optional(),
  })
  .refine((s) => s.body === undefined || s.json === undefined, {
    message: 'give body or json, not both',
    path: ['json'],
  });

/** A user flow: steps run in order by one virtual user. */
export const flowSchema = z.strictObject({
  name: nameSchema,
  /** Relative weight when a flow is picked (default 1). */
  weight: z.number().positive().default(1),
  steps: z.array(stepSchema).min(1),
});

/** A data feeder: rows from a CSV (with a header line) or JSON (array of objects) file, or inline. */
export const feederSchema = z
  .strictObject({
    /** Path relative to the scenario file. */
    file: z.string().min(1).optional(),
    rows: z.array(z.record(z.string(), z.unknown())).min(1).optional(),
    /** `sequential` hands rows out in file order (wrapping around); `random` picks any row. */
    order: z.enum(['sequential', 'random']).default('sequential'),
    /** `vu`: each virtual user takes one row when it starts and keeps it; `shared`: every flow takes the next row. */
    scope: z.enum(['vu', 'shared']).default('shared'),
  })
  .refine((f) => (f.file === undefined) !== (f.rows === undefined), {
    message: 'give file or rows (one of them)',
  });

/** Run settings a scenario may carry; command-line flags win. */
export const scenarioLoadSchema = z.strictObject({
  /** Open model: flows started per second. */
  rate: z.number().positive().optional(),
  /** Closed model: virtual users; open model: how many are set up before measuring (default 10). */
  vus: z.number().int().positive().optional(),
  /** Open model: most virtual users at once (arrivals wait beyond it; default 1000). */
  maxVus: z.number().int().positive().optional(),
  duration: durationSchema.optional(),
  /** Stop after this many flows. */
  iterations: z.number().int().positive().optional(),
  timeout: durationSchema.optional(),
  /** `p99<200ms`, `checkout:p95<500ms`, `checkout.create:errors<1%`. */
  thresholds: z.array(z.string()).optional(),
});

/** A scenario file's content. */
export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    /** Joined with step URLs that are paths. */
    baseUrl: z.string().min(1).optional(),
    /** Headers of every request (templates). */
    headers: z.record(z.string(), templated).optional(),
    /** Initial variables of every virtual user (a function gets `{ vu }`). */
    variables: z.union([z.record(nameSchema, z.unknown()), fn<VarsFunction<ScenarioVars>>()]).optional(),
    /** Data sets by name: `{{users.email}}`. */
    data: z.record(nameSchema, feederSchema).optional(),
    /** Steps each virtual user runs once when it starts (log in, keep the token). */
    setup: z.array(stepSchema).optional(),
    /** Steps each virtual user runs once at the end of the run. */
    teardown: z.array(stepSchema).optional(),
    flows: z.array(flowSchema).min(1),
    load: scenarioLoadSchema.optional(),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.flows.forEach((flow, i) => {
      if (flow.name === 'setup' || flow.name === 'teardown' || seen.has(flow.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['flows', i, 'name'],
          message: `flow name "${flow.name}" is ${seen.has(flow.name) ? 'used twice' : 'reserved'}`,
        });
      }
      seen.add(flow.name);
      const steps = new Set<string>();
      flow.steps.forEach((step, j) => {
        if (steps.has(step.name))
          ctx.addIssue({
            code: 'custom',
            path: ['flows', i, 'steps', j, 'name'],
            message: `step name "${step.name}" is used twice in the flow`,
          });
        steps.add(step.name);
      });
    });
  });

/** A scenario as written (TypeScript modules get this type through {@link defineScenario}). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario, defaults applied, durations in milliseconds. */
export type Scenario = z.output<typeof scenarioSchema>;
/** A validated step. */
export type ScenarioStep = z.output<typeof stepSchema>;
/** A validated flow. */
export type ScenarioFlow = z.output<typeof flowSchema>;
/** A validated data feeder. */
export type FeederSpec = z.output<typeof feederSchema>;

/**
 * Types a scenario module's default export; returns it unchanged.
 *
 * @example
 * ```ts
 * import { defineScenario } from 'tenon/load';
 * export default defineScenario({
 *   baseUrl: 'http://127.0.0.1:3000',
 *   flows: [{ name: 'browse', steps: [{ name: 'list', url: '/api/v1/products' }] }],
 * });
 * ```
 */
export function defineScenario(scenario: ScenarioInput): ScenarioInput {
  return scenario;
}
