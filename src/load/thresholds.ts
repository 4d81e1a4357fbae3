import { TenonError } from '../core/errors.js';
import type { LatencySummary } from './histogram-summary.js';
import type { ThresholdResult } from './load-result.js';

/** A parsed threshold, ready to evaluate. */
export interface Threshold {
  expression: string;
  metric: 'p50' | 'p90' | 'p95' | 'p99' | 'p999' | 'max' | 'errors' | 'rps' | 'ok';
  operator: '<' | '<=' | '>' | '>=';
  limit: number;
  unit: 'ms' | '%' | 'req/s' | 'requests';
  /** `user` (--threshold, config), `slo` (--slo) or `default` (the checks every run makes). */
  source: 'user' | 'slo' | 'default';
}

/**
 * The error budget every run checks unless an `errors` threshold is given:
 * a run with more failed requests than this (percent) fails.
 */
export const DEFAULT_ERROR_BUDGET = 'errors<0.1%';
/** Every run fails when no request succeeded, whatever else it checks. */
export const SOME_SUCCESS = 'ok>0';

/** Why a latency threshold failed without a figure: {@link ThresholdResult.reason}. */
export const NO_LATENCY_REASON = 'no successful response: no latency to judge';

/**
 * The targets of `--slo default`: P50 < 50 ms, P95 < 200 ms, P99 < 500 ms,
 * throughput > 1000 req/s, error rate < 0.1 %.
 */
export const DEFAULT_SLO = ['p50<50ms', 'p95<200ms', 'p99<500ms', 'rps>1000', 'errors<0.1%'] as const;

const LATENCY_RE = /^(p50|p90|p95|p99|p999|p99\.9|max)\s*(<=?|>=?)\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s)?$/i;
const ERRORS_RE = /^errors\s*(<=?|>=?)\s*(\d+(?:\.\d+)?)\s*%$/i;
const RPS_RE = /^(?:rps|throughput)\s*(<=?|>=?)\s*(\d+(?:\.\d+)?)\s*(?:req\/s)?$/i;
const OK_RE = /^ok\s*(<=?|>=?)\s*(\d+)$/i;
const UNIT_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };

/**
 * Parses a threshold such as `p99<200ms`, `errors<0.1%` or `rps>500`.
 * Latency without a unit is in milliseconds.
 *
 * @throws TenonError `TENON_LOAD_THRESHOLD_INVALID`
 */
export function parseThreshold(text: string, source: Threshold['source'] = 'user'): Threshold {
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
      source,
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
      source,
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
      source,
    };
  }
  const ok = OK_RE.exec(expression);
  if (ok) {
    return {
      expression,
      metric: 'ok',
      operator: ok[1] as Threshold['operator'],
      limit: Number(ok[2]),
      unit: 'requests',
      source,
    };
  }
  throw new TenonError('TENON_LOAD_THRESHOLD_INVALID', `"${text}" is not a threshold.`, {
    hint: "Write p50|p90|p95|p99|p999|max<N ms, errors<N%, rps>N or ok>N, e.g. --threshold 'p99<200ms'.",
  });
}

/**
 * The thresholds to apply: those of the SLO preset, the given ones, and the
 * checks every run makes so that a verdict is never better than the run:
 * the error budget ({@link DEFAULT_ERROR_BUDGET}, unless an `errors`
 * threshold is given) and at least one success ({@link SOME_SUCCESS}).
 */
export function resolveThresholds(expressions: readonly string[], slo: string | undefined): Threshold[] {
  const all = [
    ...sloExpressions(slo).map((e) => parseThreshold(e, 'slo')),
    ...expressions.map((e) => parseThreshold(e)),
  ];
  if (!all.some((t) => t.metric === 'errors')) all.push(parseThreshold(DEFAULT_ERROR_BUDGET, 'default'));
  if (!all.some((t) => t.metric === 'ok')) all.push(parseThreshold(SOME_SUCCESS, 'default'));
  return all;
}

/** The thresholds of an SLO: the `default` preset, or a comma-separated list (`p99<100ms,errors<1%`). */
export function sloExpressions(slo: string | undefined): string[] {
  if (slo === undefined) return [];
  if (slo.trim() === 'default') return [...DEFAULT_SLO];
  return slo
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The figures thresholds are checked against. */
export interface ThresholdInputs {
  /** Of successful responses: corrected latency in the open model, service latency in the closed model. */
  latency: LatencySummary;
  /** Error rate in percent. */
  errorRate: number;
  /** Successful responses per second. */
  rps: number;
  /** Successful responses. */
  ok: number;
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
    const isLatency = t.metric !== 'errors' && t.metric !== 'rps' && t.metric !== 'ok';
    const actual =
      t.metric === 'errors'
        ? inputs.errorRate
        : t.metric === 'rps'
          ? inputs.rps
          : t.metric === 'ok'
            ? inputs.ok
            : inputs.latency[t.metric];
    const result: ThresholdResult = {
      expression: t.expression,
      metric: t.metric,
      operator: t.operator,
      limit: t.limit,
      actual,
      unit: t.unit,
      source: t.source,
      pass: false,
    };
    // A latency threshold over no successful response has nothing to pass on: it fails, and says why.
    if (isLatency && (actual === null || inputs.latency.count === 0)) result.reason = NO_LATENCY_REASON;
    else result.pass = actual !== null && compare(actual, t.operator, t.limit);
    return result;
  });
}
