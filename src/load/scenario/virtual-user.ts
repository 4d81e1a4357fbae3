import { setTimeout as sleep } from 'node:timers/promises';
import { isTenonError } from '../../core/errors.js';
import { CapturedResponse } from './captured-response.js';
import { type DataRow, type Feeder, rowsForFlow, rowsForVu } from './feeder.js';
import { ScenarioConnection } from './scenario-connection.js';
import type { ScenarioMetrics } from './scenario-metrics.js';
import type { Scenario, ScenarioStep, ScenarioVars } from './scenario-schema.js';
import { checkResponse, extractVariables, type StepFailureDetail } from './step-outcome.js';
import { buildStepRequest } from './step-request.js';
import { MissingVariableError } from './template.js';

/** What a virtual user needs from the run. */
export interface VuContext {
  scenario: Scenario;
  feeders: readonly Feeder[];
  metrics: ScenarioMetrics;
  timeoutMs: number;
  userAgent: string;
  /** Think time stops early when the run is aborted. */
  signal: AbortSignal;
}

function thinkMs(think: ScenarioStep['think']): number {
  if (think === undefined) return 0;
  if (typeof think === 'number') return think;
  return think.min + Math.random() * (think.max - think.min);
}

/**
 * One simulated user: its variables (its own, its data rows, what setup
 * extracted), its keep-alive connections (one per host), and the steps it
 * runs one after the other.
 */
export class VirtualUser {
  /** Variables that live as long as the user: `variables`, `scope: vu` rows, setup extractions. */
  readonly vars: ScenarioVars;
  readonly #connections = new Map<string, ScenarioConnection>();
  setupDone = false;
  iteration = 0;

  constructor(
    readonly id: number,
    readonly ctx: VuContext,
  ) {
    const v = ctx.scenario.variables;
    const own = typeof v === 'function' ? v({ vu: id }) : { ...v };
    this.vars = { ...own, ...rowsForVu(ctx.feeders), $vu: id };
  }

  /** Runs the scenario's setup steps once; `false` when one failed (the user tries again before its next flow). */
  async setup(): Promise<boolean> {
    if (this.setupDone || !this.ctx.scenario.setup?.length) {
      this.setupDone = true;
      return true;
    }
    const failed = await this.runSteps('setup', this.ctx.scenario.setup, this.vars);
    this.setupDone = failed === undefined;
    return this.setupDone;
  }

  /** Runs the teardown steps (errors counted, never thrown). */
  async teardown(): Promise<void> {
    if (this.ctx.scenario.teardown?.length)
      await this.runSteps('teardown', this.ctx.scenario.teardown, this.vars);
  }

  /** Variables of one flow iteration: the user's own plus the next shared data rows. */
  flowVars(): ScenarioVars {
    const rows: Record<string, DataRow> = rowsForFlow(this.ctx.feeders);
    return { ...this.vars, ...rows, $iteration: this.iteration++ };
  }

  /**
   * Runs steps in order, stopping at the first failure.
   *
   * @returns the name of the step that failed, or `undefined` when all passed.
   */
  async runSteps(
    flow: string,
    steps: readonly ScenarioStep[],
    vars: ScenarioVars,
  ): Promise<string | undefined> {
    const { metrics } = this.ctx;
    for (const step of steps) {
      const outcome = await this.#runStep(step, vars);
      if (outcome.failure) {
        metrics.stepFailed(flow, step.name, step.method, outcome.failure, outcome.status);
        return step.name;
      }
      metrics.stepOk(flow, step.name, step.method, outcome.status!, outcome.latencyMs);
      const pause = thinkMs(step.think);
      if (pause > 0 && !this.ctx.signal.aborted)
        await sleep(pause, undefined, { signal: this.ctx.signal }).catch(() => {});
    }
    return undefined;
  }

  async #runStep(
    step: ScenarioStep,
    vars: ScenarioVars,
  ): Promise<{ failure?: StepFailureDetail; status?: number; latencyMs: number }> {
    let request: ReturnType<typeof buildStepRequest>;
    try {
      request = buildStepRequest(this.ctx.scenario, step, vars, this.ctx.userAgent);
    } catch (error) {
      if (error instanceof MissingVariableError || isTenonError(error))
        return { failure: { reason: 'templateFailed', message: error.message }, latencyMs: 0 };
      throw error;
    }
    const key = `${request.host}:${request.port}`;
    let connection = this.#connections.get(key);
    if (!connection) {
      connection = new ScenarioConnection(request.host, request.port, this.ctx.timeoutMs);
      this.#connections.set(key, connection);
    }
    const started = performance.now();
    const outcome = await connection.request(request.bytes, request.head);
    const latencyMs = performance.now() - started;
    if (!outcome.ok) return { failure: { reason: outcome.category, message: outcome.category }, latencyMs };
    const response = new CapturedResponse(outcome.status, outcome.raw);
    // Only a 429's headers are decoded for this: what the limiter announced goes into the finding.
    if (outcome.status === 429) this.ctx.metrics.rateLimitHeaders(response.headers);
    try {
      const failure = checkResponse(step, response, vars) ?? extractVariables(step, response, vars);
      return failure ? { failure, status: outcome.status, latencyMs } : { status: outcome.status, latencyMs };
    } catch (error) {
      // A check or extractor written as a function threw: the step fails, the run goes on.
      return {
        failure: { reason: 'checkFailed', message: `threw: ${(error as Error).message}` },
        status: outcome.status,
        latencyMs,
      };
    }
  }

  /** Closes the user's connections. */
  close(): void {
    for (const c of this.#connections.values()) c.dispose();
    this.#connections.clear();
  }
}
