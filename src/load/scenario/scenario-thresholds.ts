import { TenonError } from '../../core/errors.js';
import { NO_LATENCY } from '../histogram-summary.js';
import {
  DEFAULT_ERROR_BUDGET,
  evaluateThresholds,
  parseThreshold,
  type Threshold,
  type ThresholdInputs,
} from '../thresholds.js';
import type { FlowResult, ScenarioResult, ScenarioThresholdResult, StepResult } from './scenario-result.js';

/** A threshold with the flow or step it applies to. */
export interface ScenarioThreshold extends Threshold {
  /** `all`, a flow name, or `flow.step`. */
  scope: string;
}

const SCOPED = /^([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)?)\s*:\s*(.+)$/;

/**
 * Parses `p99<200ms` (every request of the flows), `checkout:p95<800ms`
 * (a flow's duration and failed-flow share) or `checkout.pay:errors<1%`
 * (one step). `known` lists the flow and `flow.step` names that exist.
 *
 * @throws TenonError `TENON_LOAD_THRESHOLD_INVALID`
 */
export function parseScenarioThreshold(
  text: string,
  known: ReadonlySet<string>,
  source: ScenarioThreshold['source'] = 'user',
): ScenarioThreshold {
  const scoped = SCOPED.exec(text.trim());
  const scope = scoped ? scoped[1]! : 'all';
  if (scoped && !known.has(scope)) {
    throw new TenonError(
      'TENON_LOAD_THRESHOLD_INVALID',
      `"${text}": the scenario has no flow or step "${scope}".`,
      {
        hint: `Name a flow or flow.step of the scenario: ${[...known].slice(0, 8).join(', ')}.`,
      },
    );
  }
  return { ...parseThreshold(scoped ? scoped[2]! : text, source), scope };
}

/**
 * The thresholds of a scenario run: the given ones, plus the default error
 * budget (`errors<0.1%` of every request, setup included, as for plain runs) unless
 * an `errors` threshold of any scope is given. A verdict is never better
 * than the run.
 */
export function resolveScenarioThresholds(
  expressions: readonly string[],
  known: ReadonlySet<string>,
): ScenarioThreshold[] {
  const all = expressions.map((t) => parseScenarioThreshold(t, known));
  if (!all.some((t) => t.metric === 'errors'))
    all.push(parseScenarioThreshold(DEFAULT_ERROR_BUDGET, known, 'default'));
  return all;
}

/**
 * The figures one scope is checked against: those of every request (`all`),
 * a step's requests, or a flow (then `rps` and `ok` count successful flows).
 */
export type ScopeFigures = ThresholdInputs;

const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 100_000) / 1000 : 0);

/**
 * What each scope of a scenario run is checked against: `all` every request
 * (its error rate counts setup and teardown requests too; its latency and
 * rates the flows' requests), a flow its successful flows, `flow.step` that step's
 * requests. A flow or step that never ran measured nothing: no latency (null)
 * and NaN rates, which fail every comparison, so its thresholds fail.
 */
export function scopeFigures(
  totals: ScenarioResult['totals'],
  flows: readonly FlowResult[],
  steps: readonly StepResult[],
): (scope: string) => ScopeFigures {
  // Setup and teardown requests are requests to the target too: a login that fails for
  // some users fails their flows at `setup` without one failed flow request, and must
  // not leave the error budget at 0 %.
  const requests = steps.reduce((n, s) => n + s.requests, 0);
  const failed = steps.reduce((n, s) => n + s.failed, 0);
  return (scope) => {
    if (scope === 'all')
      return {
        latency: totals.latency,
        errorRate: percent(failed, requests),
        rps: totals.requests.rps,
        ok: totals.requests.ok,
      };
    const flow = flows.find((f) => f.name === scope);
    if (flow)
      return {
        latency: flow.duration,
        errorRate: percent(flow.failed, flow.ok + flow.failed),
        rps: flow.okPerSecond,
        ok: flow.ok,
      };
    const step = steps.find((s) => s.name === scope);
    if (step) return { latency: step.latency, errorRate: step.errorRate, rps: step.rps, ok: step.ok };
    const none = Number.NaN;
    return { latency: { ...NO_LATENCY }, errorRate: none, rps: none, ok: 0 };
  };
}

/**
 * Evaluates scenario thresholds; `figures` answers for each scope. Each is
 * judged as a plain run's threshold is (a latency threshold over no
 * success fails), under its scope's name.
 */
export function evaluateScenarioThresholds(
  thresholds: readonly ScenarioThreshold[],
  figures: (scope: string) => ScopeFigures,
): ScenarioThresholdResult[] {
  return thresholds.map((t) => {
    const [result] = evaluateThresholds([t], figures(t.scope));
    return {
      ...result!,
      expression: t.scope === 'all' ? t.expression : `${t.scope}:${t.expression}`,
      scope: t.scope,
    };
  });
}
