import { TenonError } from '../core/errors.js';
import type { LatencySummary } from './histogram.js';
import type { ThresholdResult } from './load-result.js';

/** A parsed threshold, ready to evaluate. */
export interface Threshold {
  expression: string;
  metric: 'p50' | 'p90' | 'p95' | 'p99' | 'p999' | 'max' | 'errors' | 'rps';
  operator: '<' | '<=' | '>' | '>=';
  limit: number;
  unit: 'ms' | '%' | 'req/s';
}

/**
 * The targets of `--slo default`: P50 < 50 ms, P95 < 200 ms, P99 < 500 ms,
 * throughput > 1000 req/s, error rate < 0.1 %.
 */
export const DEFAULT_SLO = ['p50<50ms', 'p95<200ms', 'p99<500ms', 'rps>1000', 'errors<0.1%'] as const;

const LATENCY_RE = /^(p50|p90|p95|p99|p999|p99\.9|max)\s*(<=?|>=?)\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s)?$/i;
const ERRORS_RE = /^errors\s*(<=?|>=?)\s*(\d+(?:\.\d+)?)\s*%$/i;
const RPS_RE = /^(?:rps|throughput)\s*(<=?|>=?)\s*(\d+(?:\.\d+)?)\s*(?:req\/s)?$/i;
const UNIT_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };

/**
 * Parses a threshold such as `p99<200ms`, `errors<0.1%` or `rps>500`.
 * Latency without a unit is in milliseconds.
 *
 * @throws TenonError `TENON_LOAD_THRESHOLD_INVALID`
 */
export function parseThreshold(text: string): Threshold {
  const expression = text.trim();
  const latency = LATENCY_RE.exec(expression);
  if (latency) {
    const metric = latency[1]!.toLowerCase().replace('p99.9', 'p999') as Threshold['metric'];
    const unit = (latency[4] ?? 'ms').toLowerCase();
    return {
      expression,
      metric,
      operator: latency[2] as Threshold['operator'],
      limit: Number(latency[3]) * UNIT_MS[unit]!,
      unit: 'ms',
    };
  }
  const errors = ERRORS_RE.exec(expression);
  if (errors) {
    return {
      expression,
      metric: 'errors',
      operator: errors[1] as Threshold['operator'],
      limit: Number(errors[2]),
      unit: '%',
    };
  }
  const rps = RPS_RE.exec(expression);
  if (rps) {
    return {
      expression,
      metric: 'rps',
      operator: rps[1] as Threshold['operator'],
      limit: Number(rps[2]),
      unit: 'req/s',
    };
  }
  throw new TenonError('TENON_LOAD_THRESHOLD_INVALID', `"${text}" is not a threshold.`, {
    hint: "Write p50|p90|p95|p99|p999|max<N ms, errors<N% or rps>N, e.g. --threshold 'p99<200ms'.",
  });
}

/** The thresholds to apply: the given ones plus those of the SLO preset. */
export function resolveThresholds(expressions: readonly string[], slo: 'default' | undefined): Threshold[] {
  const all = [...(slo === 'default' ? DEFAULT_SLO : []), ...expressions];
  return all.map(parseThreshold);
}

/** The figures thresholds are checked against. */
export interface ThresholdInputs {
  /** Corrected latency in the open model, service latency in the closed model. */
  latency: LatencySummary;
  /** Error rate in percent. */
  errorRate: number;
  rps: number;
}

function compare(actual: number, operator: Threshold['operator'], limit: number): boolean {
  switch (operator) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
  }
}

/** Evaluates thresholds against a run's figures. */
export function evaluateThresholds(
  thresholds: readonly Threshold[],
  inputs: ThresholdInputs,
): ThresholdResult[] {
  return thresholds.map((t) => {
    const actual =
      t.metric === 'errors' ? inputs.errorRate : t.metric === 'rps' ? inputs.rps : inputs.latency[t.metric];
    return {
      expression: t.expression,
      metric: t.metric,
      operator: t.operator,
      limit: t.limit,
      actual,
      unit: t.unit,
      pass: compare(actual, t.operator, t.limit),
    };
  });
}
