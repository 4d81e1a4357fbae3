import { TenonError } from '../../core/errors.js';
import { DEFAULT_ERROR_BUDGET, DEFAULT_SLO, parseThreshold, type Threshold } from '../thresholds.js';

/** A latency objective of a capacity search: `p99<100ms`. */
export interface LatencyObjective {
  expression: string;
  /** The percentile, 50–99.9. */
  percentile: number;
  /** Milliseconds. */
  limit: number;
  /** `<=` counts a sample at the limit as meeting it. */
  inclusive: boolean;
}

/** What a capacity search holds every rate to. */
export interface CapacitySlo {
  /** The SLO as given (normalized: expressions joined by commas). */
  expression: string;
  latency: LatencyObjective[];
  /** Failed requests tolerated, percent (the default budget unless the SLO names `errors<N%`). */
  errorBudget: number;
  /** Whether the error budget came from the SLO (`slo`) or the default (`default`). */
  errorBudgetSource: 'slo' | 'default';
}

const PERCENTILES: Partial<Record<Threshold['metric'], number>> = {
  p50: 50,
  p90: 90,
  p95: 95,
  p99: 99,
  p999: 99.9,
};

function invalid(text: string, why: string): TenonError {
  return new TenonError('TENON_LOAD_SLO_INVALID', `--slo "${text}": ${why}`, {
    hint: "Give latency percentiles with an upper limit and, optionally, an error budget: --slo 'p99<100ms' or --slo 'p95<50ms,p99<200ms,errors<1%'.",
  });
}

/**
 * Parses the SLO of a capacity search: comma-separated latency objectives
 * (`p50|p90|p95|p99|p999 < or <= a latency`) and at most one error budget
 * (`errors<N%`; default {@link DEFAULT_ERROR_BUDGET}). `default` means the
 * latency and error parts of the `--slo default` preset. Throughput (`rps`)
 * is what the search finds, so it cannot be an objective; `max` cannot be
 * decided from a sample (one slow request breaks it).
 *
 * @throws TenonError `TENON_LOAD_SLO_INVALID`
 */
export function parseCapacitySlo(text: string | readonly string[] | undefined): CapacitySlo {
  const joined = typeof text === 'string' ? text : (text ?? []).join(',');
  const parts =
    joined.trim() === 'default'
      ? DEFAULT_SLO.filter((e) => !e.startsWith('rps'))
      : joined
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  if (parts.length === 0) throw invalid(joined, 'a capacity search needs an SLO to hold each rate to.');
  const latency: LatencyObjective[] = [];
  let errorBudget: number | undefined;
  for (const part of parts) {
    let t: Threshold;
    try {
      t = parseThreshold(part, 'slo');
    } catch {
      throw invalid(joined, `"${part}" is not an objective.`);
    }
    if (t.metric === 'errors') {
      if (t.operator !== '<' && t.operator !== '<=')
        throw invalid(joined, 'the error budget must be errors<N%.');
      if (errorBudget !== undefined) throw invalid(joined, 'give one error budget.');
      errorBudget = t.limit;
      continue;
    }
    const percentile = PERCENTILES[t.metric];
    if (percentile === undefined)
      throw invalid(
        joined,
        `"${part}": only latency percentiles (p50–p999) and errors<N% can be objectives.`,
      );
    if (t.operator !== '<' && t.operator !== '<=')
      throw invalid(joined, `"${part}": a latency objective is an upper limit (< or <=).`);
    if (t.limit <= 0) throw invalid(joined, `"${part}": the limit must be above zero.`);
    latency.push({ expression: t.expression, percentile, limit: t.limit, inclusive: t.operator === '<=' });
  }
  if (latency.length === 0) throw invalid(joined, 'name at least one latency percentile, e.g. p99<100ms.');
  const budget = parseThreshold(DEFAULT_ERROR_BUDGET, 'default').limit;
  return {
    expression: parts.join(','),
    latency,
    errorBudget: errorBudget ?? budget,
    errorBudgetSource: errorBudget === undefined ? 'default' : 'slo',
  };
}
