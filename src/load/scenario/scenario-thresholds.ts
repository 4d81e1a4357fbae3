import { TenonError } from '../../core/errors.js';
import type { LatencySummary } from '../histogram.js';
import { parseThreshold, type Threshold } from '../thresholds.js';
import type { ScenarioThresholdResult } from './scenario-result.js';

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
export function parseScenarioThreshold(text: string, known: ReadonlySet<string>): ScenarioThreshold {
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
  return { ...parseThreshold(scoped ? scoped[2]! : text), scope };
}

/** The figures one scope is checked against. */
export interface ScopeFigures {
  latency: LatencySummary;
  /** Failed share, percent. */
  errorRate: number;
  /** Requests per second (all, a step), or successful flows per second (a flow). */
  rps: number;
  /** Successful requests (all, a step) or flows (a flow), for `ok>0`. */
  ok: number;
}

/** Evaluates scenario thresholds; `figures` answers for each scope. */
export function evaluateScenarioThresholds(
  thresholds: readonly ScenarioThreshold[],
  figures: (scope: string) => ScopeFigures,
): ScenarioThresholdResult[] {
  return thresholds.map((t) => {
    const f = figures(t.scope);
    const actual =
      t.metric === 'errors'
        ? f.errorRate
        : t.metric === 'rps'
          ? f.rps
          : t.metric === 'ok'
            ? f.ok
            : f.latency[t.metric];
    const pass =
      t.operator === '<'
        ? actual < t.limit
        : t.operator === '<='
          ? actual <= t.limit
          : t.operator === '>'
            ? actual > t.limit
            : actual >= t.limit;
    return {
      expression: t.scope === 'all' ? t.expression : `${t.scope}:${t.expression}`,
      scope: t.scope,
      metric: t.metric,
      operator: t.operator,
      limit: t.limit,
      actual,
      unit: t.unit,
      source: t.source,
      pass,
    };
  });
}
