import { setMaxListeners } from 'node:events';
import * as z from 'zod';
import { durationSchema } from '../../core/duration.js';
import { TenonError } from '../../core/errors.js';
import { tenonVersion } from '../../core/version.js';
import { DEFAULT_MAX_LATENESS, type MaxLateness, parseMaxLateness } from '../generator-check.js';
import type { Recommendation } from '../load-result.js';
import { rateLimitFinding } from '../recommendations.js';
import { type SignalOptions, SignalRecorder } from '../signals/signal-recorder.js';
import { createFeeders, type LoadedScenario, parseScenario } from './load-scenario-file.js';
import { ScenarioGeneratorWatch } from './scenario-generator.js';
import { ScenarioMetrics } from './scenario-metrics.js';
import { SCENARIO_RESULT_SCHEMA, type ScenarioResult, type StepResult } from './scenario-result.js';
import type { ScenarioFlow, ScenarioInput } from './scenario-schema.js';
import {
  evaluateScenarioThresholds,
  resolveScenarioThresholds,
  scopeFigures,
} from './scenario-thresholds.js';
import { VirtualUser, type VuContext } from './virtual-user.js';

/** Progress of a scenario run. */
export type ScenarioEvent =
  | { type: 'run-start'; model: 'open' | 'closed'; vus: number; durationMs: number | null }
  | {
      type: 'progress';
      second: number;
      flowsOk: number;
      flowsFailed: number;
      flowP99: number;
      vusBusy: number;
    };

/** Default virtual users: closed-model users, or open-model users set up before measuring. */
export const DEFAULT_SCENARIO_VUS = 10;
/** Default cap of open-model virtual users. */
export const DEFAULT_MAX_VUS = 1000;

/**
 * Options of {@link runScenario}. Settings left out come from the
 * scenario's `load` section, then the defaults (10 s, 10 virtual users,
 * 10 s timeout).
 */
export const scenarioRunOptionsSchema = z.strictObject({
  /** A loaded scenario file, or a scenario object (validated here; data files relative to the working directory). */
  scenario: z.custom<LoadedScenario | ScenarioInput>((v) => typeof v === 'object' && v !== null),
  model: z.enum(['open', 'closed']).optional(),
  /** Open model: flows started per second. */
  rate: z.number().positive().optional(),
  vus: z.number().int().positive().optional(),
  maxVus: z.number().int().positive().optional(),
  duration: durationSchema.optional(),
  iterations: z.number().int().positive().optional(),
  timeout: durationSchema.optional(),
  /** Added to the scenario's own thresholds. */
  thresholds: z.array(z.string()).default([]),
  /**
   * Open model: the generator's own delay tolerated before the run is marked
   * saturated (`20%` of the latency users saw, or a duration per request: `2ms`).
   */
  maxLateness: z
    .union([
      z.string(),
      z.number(),
      z.custom<MaxLateness>((v) => typeof v === 'object' && v !== null && ('share' in v || 'ms' in v)),
    ])
    .default(DEFAULT_MAX_LATENESS),
  /** Server-side signals sampled during the run, as `runLoad` takes them (the machine's CPU by default on Linux). */
  signals: z.custom<SignalOptions>((v) => typeof v === 'object' && v !== null).optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  onEvent: z.custom<(event: ScenarioEvent) => void>((v) => typeof v === 'function').optional(),
});

/** Options as callers write them. */
export type ScenarioRunOptions = z.input<typeof scenarioRunOptionsSchema>;

function pickFlow(flows: readonly ScenarioFlow[], total: number): ScenarioFlow {
  let r = Math.random() * total;
  for (const f of flows) {
    r -= f.weight;
    if (r < 0) return f;
  }
  return flows[flows.length - 1]!;
}

/**
 * Runs a scenario: virtual users run weighted flows of steps, in the open
 * model (`rate` flows per second, whatever the server does; a flow's
 * duration counts from its intended start) or the closed model (`vus`
 * users, each starting its next flow when the last one ended). Runs on the
 * calling thread: scenarios take this slower, flexible path, the plain
 * engine of `runLoad` stays raw.
 *
 * @throws TenonError `TENON_LOAD_OPTIONS_INVALID`, `TENON_LOAD_THRESHOLD_INVALID`, `TENON_LOAD_SCENARIO_INVALID`
 */
export async function runScenario(input: ScenarioRunOptions): Promise<ScenarioResult> {
  const parsedOptions = scenarioRunOptionsSchema.safeParse(input);
  if (!parsedOptions.success) {
    const issue = parsedOptions.error.issues[0]!;
    throw new TenonError(
      'TENON_LOAD_OPTIONS_INVALID',
      `${issue.path.join('.') || 'options'}: ${issue.message}`,
      {
        hint: 'See docs/load.md#scenarios for the options of runScenario.',
      },
    );
  }
  const o = parsedOptions.data;
  const loaded: LoadedScenario =
    'scenario' in o.scenario && 'feeders' in o.scenario
      ? (o.scenario as LoadedScenario)
      : (() => {
          const scenario = parseScenario(o.scenario);
          return { file: '<inline>', scenario, feeders: createFeeders(scenario, process.cwd(), '<inline>') };
        })();
  const { scenario, feeders } = loaded;
  const settings = scenario.load ?? {};
  const rate = o.rate ?? (o.model === 'closed' ? undefined : settings.rate);
  const model = o.model ?? (rate !== undefined ? 'open' : 'closed');
  if (model === 'open' && rate === undefined) {
    throw new TenonError('TENON_LOAD_OPTIONS_INVALID', 'The open model needs a rate (flows per second).', {
      hint: 'Give --rate N (or load.rate in the scenario), or run the closed model with --vus N.',
    });
  }
  const vus = o.vus ?? settings.vus ?? DEFAULT_SCENARIO_VUS;
  const maxVus = model === 'open' ? Math.max(vus, o.maxVus ?? settings.maxVus ?? DEFAULT_MAX_VUS) : vus;
  const iterations = o.iterations ?? settings.iterations;
  const durationMs = o.duration ?? settings.duration ?? (iterations === undefined ? 10_000 : undefined);
  const timeoutMs = o.timeout ?? settings.timeout ?? 10_000;
  const known = new Set(
    scenario.flows.flatMap((f) => [f.name, ...f.steps.map((s) => `${f.name}.${s.name}`)]),
  );
  for (const [kind, steps] of [
    ['setup', scenario.setup],
    ['teardown', scenario.teardown],
  ] as const)
    for (const s of steps ?? []) known.add(`${kind}.${s.name}`);
  const thresholds = resolveScenarioThresholds([...(settings.thresholds ?? []), ...o.thresholds], known);
  const maxLateness = typeof o.maxLateness === 'object' ? o.maxLateness : parseMaxLateness(o.maxLateness);
  if (typeof maxLateness === 'string')
    throw new TenonError('TENON_LOAD_OPTIONS_INVALID', `maxLateness: ${maxLateness}.`, {
      hint: 'e.g. --max-lateness 20% (a share of the latency) or --max-lateness 2ms (per request).',
    });
  // Server-side signals: a source that cannot be read fails the run here, before any load is sent.
  const recorder = new SignalRecorder(o.signals ?? {});
  await recorder.prepare();

  const controller = new AbortController();
  // Every user thinking at once listens to the signal.
  setMaxListeners(0, controller.signal);
  const onAbort = () => controller.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const metrics = new ScenarioMetrics(scenario.flows);
  const ctx: VuContext = {
    scenario,
    feeders,
    metrics,
    timeoutMs,
    userAgent: `tenon/${tenonVersion()}`,
    signal: controller.signal,
  };
  const totalWeight = scenario.flows.reduce((sum, f) => sum + f.weight, 0);
  const users: VirtualUser[] = [];
  const newUser = () => {
    const vu = new VirtualUser(users.length + 1, ctx);
    users.push(vu);
    return vu;
  };
  let busy = 0;
  let peakBusy = 0;
  let started = 0;
  let queued = 0;
  let unstarted = 0;
  let lastEnd = 0;
  // The end of the duration stops new flows only; an abort also cuts think time short.
  const ended = new AbortController();
  const onEnd = () => ended.abort();
  controller.signal.addEventListener('abort', onEnd, { once: true });
  const canStart = () => !ended.signal.aborted && (iterations === undefined || started < iterations);

  /** One flow on one user; `intended` is its scheduled start (open) or its actual start (closed). */
  const runFlow = async (vu: VirtualUser, intended: number) => {
    busy++;
    peakBusy = Math.max(peakBusy, busy);
    const flow = pickFlow(scenario.flows, totalWeight);
    metrics.flowStarted(flow.name);
    if (!(await vu.setup())) {
      metrics.flowFailed(flow.name, 'setup');
    } else {
      const failedAt = await vu.runSteps(flow.name, flow.steps, vu.flowVars());
      const end = performance.now();
      if (failedAt === undefined) metrics.flowOk(flow.name, end - intended);
      else metrics.flowFailed(flow.name, failedAt);
    }
    lastEnd = performance.now();
    busy--;
  };

  // Users set up before measuring: every closed-model user, the open model's preallocated ones.
  const watch = new ScenarioGeneratorWatch();
  try {
    await Promise.all(Array.from({ length: vus }, () => newUser().setup()));
    await recorder.takeBaseline();
  } catch (error) {
    await recorder.close();
    throw error;
  }
  o.onEvent?.({ type: 'run-start', model, vus, durationMs: durationMs ?? null });
  const startedAt = new Date();
  const t0 = performance.now();
  recorder.begin(performance.timeOrigin + t0);
  watch.begin();
  lastEnd = t0;
  const deadline = durationMs === undefined ? Number.POSITIVE_INFINITY : t0 + durationMs;
  const endTimer = durationMs === undefined ? undefined : setTimeout(onEnd, durationMs);
  const ticker = setInterval(() => {
    const point = metrics.tick(busy);
    o.onEvent?.({
      type: 'progress',
      second: point.second,
      flowsOk: point.flowsOk,
      flowsFailed: point.flowsFailed,
      flowP99: point.flowP99,
      vusBusy: busy,
    });
  }, 1000);

  const running = new Set<Promise<void>>();
  if (model === 'closed') {
    const loop = async (vu: VirtualUser) => {
      while (canStart() && performance.now() < deadline) {
        started++;
        await runFlow(vu, performance.now());
      }
    };
    await Promise.all(users.map(loop));
  } else {
    const interval = 1000 / rate!;
    const idle = [...users];
    const waiting: number[] = [];
    const launch = (vu: VirtualUser, intended: number) => {
      const p = runFlow(vu, intended).then(() => {
        running.delete(p);
        const next = waiting.shift();
        if (next !== undefined) launch(vu, next);
        else idle.push(vu);
      });
      running.add(p);
    };
    await new Promise<void>((resolve) => {
      let i = 0;
      // Arrivals follow the schedule, not the end timer: every arrival intended before the
      // deadline is started even when the event loop reaches it late.
      const more = () => !controller.signal.aborted && (iterations === undefined || started < iterations);
      const tick = () => {
        if (controller.signal.aborted) return;
        const now = performance.now();
        while (more()) {
          const intended = t0 + i * interval;
          if (intended > now || intended >= deadline) break;
          i++;
          started++;
          const vu = idle.pop() ?? (users.length < maxVus ? newUser() : undefined);
          // A start that waits for a free user is the target's slowness; one that leaves late with a
          // user free is the generator's own.
          if (vu) watch.flowStarted(now - intended);
          if (vu) launch(vu, intended);
          else {
            queued++;
            waiting.push(intended);
          }
        }
        if (!more() || t0 + i * interval >= deadline) return resolve();
        setTimeout(tick, Math.max(0, t0 + i * interval - performance.now()));
      };
      controller.signal.addEventListener('abort', () => resolve(), { once: true });
      tick();
    });
    // Arrivals still waiting for a user when the run ends were never started: not counted.
    started -= waiting.length;
    unstarted = waiting.length;
    waiting.length = 0;
    while (running.size > 0) await Promise.all([...running]);
  }
  clearInterval(ticker);
  clearTimeout(endTimer);
  if (metrics.series.length === 0 || performance.now() - t0 > metrics.series.length * 1000 + 1)
    metrics.tick(busy);
  const seconds = Math.max(lastEnd - t0, 1) / 1000;
  const interrupted = o.signal?.aborted ?? false;
  let signals: ScenarioResult['signals'] = null;
  try {
    if (recorder.active) signals = await recorder.finish(performance.timeOrigin + lastEnd);
  } finally {
    await recorder.close();
  }
  await Promise.all(users.map((vu) => vu.teardown()));
  for (const vu of users) vu.close();
  o.signal?.removeEventListener('abort', onAbort);

  const flows = metrics.flowResults(seconds);
  const steps = metrics.stepResults(seconds);
  const flowSteps = steps.filter((s) => s.flow !== 'setup' && s.flow !== 'teardown');
  const requests = flowSteps.reduce((n, s) => n + s.requests, 0);
  const okRequests = flowSteps.reduce((n, s) => n + s.ok, 0);
  const flowsOk = flows.reduce((n, f) => n + f.ok, 0);
  const flowsFailed = flows.reduce((n, f) => n + f.failed, 0);
  const pct = (part: number, whole: number) => (whole ? Math.round((part / whole) * 100_000) / 1000 : 0);
  const totals: ScenarioResult['totals'] = {
    flows: {
      started: flows.reduce((n, f) => n + f.started, 0),
      ok: flowsOk,
      failed: flowsFailed,
      successRate: pct(flowsOk, flowsOk + flowsFailed),
      okPerSecond: Math.round((flowsOk / seconds) * 100) / 100,
    },
    requests: {
      total: requests,
      ok: okRequests,
      failed: requests - okRequests,
      rps: Math.round((requests / seconds) * 100) / 100,
      errorRate: pct(requests - okRequests, requests),
    },
    latency: metrics.allLatency(),
  };
  const results = evaluateScenarioThresholds(thresholds, scopeFigures(totals, flows, steps));
  const thresholdsPassed = results.every((t) => t.pass);
  const generator = watch.finish({
    open: model === 'open',
    latency: totals.latency,
    requests,
    max: maxLateness,
  });
  return {
    schema: SCENARIO_RESULT_SCHEMA,
    tool: { name: 'tenon', version: tenonVersion() },
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round(seconds * 1000) / 1000,
    model,
    latencyCorrected: model === 'open',
    scenario: { name: scenario.name ?? null, file: loaded.file },
    options: {
      rate: rate ?? null,
      vus,
      maxVus: model === 'open' ? maxVus : null,
      durationMs: durationMs ?? null,
      iterations: iterations ?? null,
      timeoutMs,
    },
    totals,
    flows,
    steps,
    vus: { created: users.length, peakBusy },
    queued,
    unstarted,
    thresholds: results,
    thresholdsPassed,
    recommendations: scenarioFindings(steps, metrics.rateLimit),
    // As in plain runs: a failed threshold stands even when the generator was also saturated.
    status:
      flowsOk === 0
        ? 'no-success'
        : !thresholdsPassed
          ? 'threshold-failed'
          : generator.saturated
            ? 'generator-saturated'
            : 'pass',
    generator,
    signals,
    series: metrics.series,
    interrupted,
  };
}

/** The findings plain runs make that apply to flows: a rate limit that answered (setup and teardown included). */
function scenarioFindings(steps: readonly StepResult[], headers: Record<string, string>): Recommendation[] {
  const rateLimited = steps.reduce((n, s) => n + (s.failures.rateLimited ?? 0), 0);
  if (rateLimited === 0) return [];
  const requests = steps.reduce((n, s) => n + s.requests, 0);
  const sorted = Object.fromEntries(Object.entries(headers).sort(([a], [b]) => a.localeCompare(b)));
  return [
    rateLimitFinding(
      rateLimited,
      requests,
      sorted,
      "stay under the limit with a lower --rate or fewer --vus; to test the limit itself, accept it in the step's check (status: [200, 429])",
    ),
  ];
}
