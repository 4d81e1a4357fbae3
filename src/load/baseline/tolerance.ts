import { TenonError } from '../../core/errors.js';

/** The figures a baseline comparison judges. */
export const COMPARED_METRICS = ['p50', 'p90', 'p99', 'p999', 'rps'] as const;
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

/** The percentile (0–100) behind each latency metric. */
export const METRIC_PERCENTILES: Record<Exclude<ComparedMetric, 'rps'>, number> = {
  p50: 50,
  p90: 90,
  p99: 99,
  p999: 99.9,
};

/**
 * How much change a metric may show before it counts: `relative` (0.1 =
 * 10 %) and, for latency, an absolute floor in milliseconds. A change must
 * exceed both.
 */
export interface MetricTolerance {
  relative: number;
  absoluteMs: number;
}

export type Tolerances = Record<ComparedMetric, MetricTolerance>;

/** 10 % for every figure, no absolute floor. */
export const DEFAULT_TOLERANCE: MetricTolerance = { relative: 0.1, absoluteMs: 0 };

const SPEC = /^(?:(p50|p90|p99|p99\.9|p999|rps)\s*=\s*)?(\d+(?:\.\d+)?)\s*(%|ms)$/i;

/**
 * Parses `--tolerance` specs over the defaults. `10%` sets the relative
 * tolerance of every figure, `2ms` the absolute floor of every latency
 * percentile; `p99=20%`, `p999=5ms`, `rps=5%` set one figure. Later specs
 * win.
 *
 * @throws TenonError `TENON_LOAD_OPTIONS_INVALID` for anything else
 */
export function parseTolerances(specs: readonly string[]): Tolerances {
  const out = Object.fromEntries(COMPARED_METRICS.map((m) => [m, { ...DEFAULT_TOLERANCE }])) as Tolerances;
  for (const raw of specs
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = SPEC.exec(raw);
    const metric = match?.[1]?.toLowerCase().replace('.', '') as ComparedMetric | undefined;
    const value = Number(match?.[2]);
    const unit = match?.[3]?.toLowerCase();
    if (!match || (unit === 'ms' && metric === 'rps') || (unit === '%' && value >= 100 && metric === 'rps')) {
      throw new TenonError('TENON_LOAD_OPTIONS_INVALID', `--tolerance: cannot read "${raw}".`, {
        hint: "Give a share or a latency floor, for all figures or one: '10%', '2ms', 'p99=20%', 'p999=5ms', 'rps=5%'.",
      });
    }
    for (const m of metric ? [metric] : COMPARED_METRICS) {
      if (unit === '%') out[m].relative = value / 100;
      else if (m !== 'rps') out[m].absoluteMs = value;
    }
  }
  return out;
}
