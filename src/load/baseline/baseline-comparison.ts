import type { DistributionBucket, SpectrumPoint } from '../histogram-summary.js';
import type { ComparedMetric, MetricTolerance } from './tolerance.js';
import type { KsTest } from './two-sample.js';

/** improved / unchanged / regressed: the verdict of one figure, one endpoint or the whole comparison. */
export type ComparisonVerdict = 'improved' | 'unchanged' | 'regressed';

/** One figure, baseline against current. */
export interface MetricComparison {
  metric: ComparedMetric;
  unit: 'ms' | 'ok/s';
  baseline: number;
  current: number;
  /** Latency: each run's confidence interval of the percentile, ms (`null` bound: too few samples). */
  baselineInterval?: [number, number | null];
  currentInterval?: [number, number | null];
  /** current / baseline − 1 (0.12 = 12 % higher); null when a side is 0. */
  change: number | null;
  /** Confidence interval of `change`; a `null` bound is unbounded (too few samples). */
  changeInterval: [number | null, number | null];
  /** The interval excludes "no change": the difference is statistically clear. */
  clear: boolean;
  tolerance: MetricTolerance;
  verdict: ComparisonVerdict;
}

/** The comparison of one endpoint, or of all requests together (`name: 'all'`). */
export interface SetComparison {
  name: string;
  metrics: MetricComparison[];
  /** Two-sample Kolmogorov–Smirnov test of the whole latency distributions (informative; verdicts come from the percentiles). */
  distributionTest: KsTest;
  verdict: ComparisonVerdict;
}

/** The `comparison` field of a load result compared with `--compare FILE`. */
export interface BaselineComparison {
  file: string;
  baseline: {
    savedAt: string;
    startedAt: string;
    toolVersion: string;
    model: 'open' | 'closed';
    rate: number | null;
    connections: number;
    durationSeconds: number;
    urls: string[];
  };
  /** Which latency was compared: corrected when both runs are open-model, else service. */
  latency: 'corrected' | 'service';
  method: string;
  confidence: number;
  verdict: ComparisonVerdict;
  /** One line per figure that regressed (`all p99 +35 % (12.1 → 16.4 ms)`). */
  regressions: string[];
  improvements: string[];
  /** Why the two runs may not be comparable (different rate, model, target, a saturated generator…). */
  warnings: string[];
  aggregate: SetComparison;
  /** Per endpoint, matched by name, when either run had several. */
  endpoints: SetComparison[];
  /** For the report's overlay charts: each run's percentile spectrum and distribution of the compared latency. */
  distributions: {
    baseline: { spectrum: SpectrumPoint[]; buckets: DistributionBucket[] };
    current: { spectrum: SpectrumPoint[]; buckets: DistributionBucket[] };
  };
}
