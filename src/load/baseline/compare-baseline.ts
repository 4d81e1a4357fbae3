import { distribution, spectrum } from '../histogram-summary.js';
import type { LoadResult } from '../load-result.js';
import type {
  BaselineComparison,
  ComparisonVerdict,
  MetricComparison,
  SetComparison,
} from './baseline-comparison.js';
import type { LoadedBaseline } from './baseline-file.js';
import { blockBootstrapRateRatio, blockBootstrapRatios } from './block-bootstrap.js';
import { comparabilityWarnings } from './comparability.js';
import type { LatencyBlock } from './latency-blocks.js';
import { quantileInterval } from './quantile-interval.js';
import type { LatencyHistograms, RunHistograms } from './run-histograms.js';
import {
  COMPARED_METRICS,
  type ComparedMetric,
  DEFAULT_TOLERANCE,
  METRIC_PERCENTILES,
  type MetricTolerance,
  type Tolerances,
} from './tolerance.js';
import { ksTest, percentileRatio, type RatioInterval, rateRatio } from './two-sample.js';

/** Options of {@link compareToBaseline}. */
export interface CompareOptions {
  /** Per figure; default 10 % each, no absolute floor. */
  tolerances?: Partial<Tolerances>;
  /** Confidence level of the intervals (default 0.95). */
  confidence?: number;
}

export const COMPARISON_METHOD =
  'per percentile, the wider of two intervals of the ratio: order-statistic (binomial) intervals combined on the log scale (Price–Bonett) and a block bootstrap over the seconds of each run; the same for the throughput ratio (Poisson interval and block bootstrap of successes per second); two-sample Kolmogorov–Smirnov on the HDR buckets';

const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;
const ms = (us: number) => round(us / 1000);
const bound = (v: number) => (Number.isFinite(v) ? v : null);

function judge(r: RatioInterval, tol: MetricTolerance, diffMs: number, higherIsWorse: boolean) {
  if (!Number.isFinite(r.ratio)) return { clear: false, verdict: 'unchanged' as const };
  const up = r.low > 1;
  const down = r.high < 1;
  const beyondUp = r.ratio - 1 > tol.relative && diffMs > tol.absoluteMs;
  const beyondDown = 1 - r.ratio > tol.relative && -diffMs > tol.absoluteMs;
  const worse = higherIsWorse ? up && beyondUp : down && beyondDown;
  const better = higherIsWorse ? down && beyondDown : up && beyondUp;
  return {
    clear: up || down,
    verdict: worse ? ('regressed' as const) : better ? ('improved' as const) : ('unchanged' as const),
  };
}

function changeOf(r: RatioInterval): Pick<MetricComparison, 'change' | 'changeInterval'> {
  if (!Number.isFinite(r.ratio)) return { change: null, changeInterval: [null, null] };
  return {
    change: round(r.ratio - 1, 4),
    changeInterval: [r.low > 0 ? round(r.low - 1, 4) : null, bound(round(r.high - 1, 4))],
  };
}

function latencyMetric(
  metric: Exclude<ComparedMetric, 'rps'>,
  a: LatencyHistograms['corrected'],
  b: LatencyHistograms['corrected'],
  tolerance: MetricTolerance,
  confidence: number,
  bootstrap: RatioInterval | undefined,
): MetricComparison {
  const p = METRIC_PERCENTILES[metric];
  const ia = quantileInterval(a, p, confidence);
  const ib = quantileInterval(b, p, confidence);
  const os = percentileRatio(ia, ib, confidence);
  // The wider of the two intervals: the order-statistic one counts every request as independent,
  // the block bootstrap counts seconds; with few requests the first is wider, with stalls the second.
  const r = bootstrap
    ? { ratio: os.ratio, low: Math.min(os.low, bootstrap.low), high: Math.max(os.high, bootstrap.high) }
    : os;
  const interval = (i: typeof ia): [number, number | null] => [
    ms(i.low),
    Number.isFinite(i.high) ? ms(i.high) : null,
  ];
  return {
    metric,
    unit: 'ms',
    baseline: ms(ia.estimate),
    current: ms(ib.estimate),
    baselineInterval: interval(ia),
    currentInterval: interval(ib),
    ...changeOf(r),
    tolerance,
    ...judge(r, tolerance, (ib.estimate - ia.estimate) / 1000, true),
  };
}

interface Side {
  histogram: LatencyHistograms['corrected'];
  /** Per-second blocks; undefined when the run did not record them (then requests count as independent). */
  blocks: LatencyBlock[] | undefined;
  ok: number;
  seconds: number;
}

function compareSet(
  name: string,
  a: Side,
  b: Side,
  tolerances: Tolerances,
  confidence: number,
): SetComparison {
  const metrics: MetricComparison[] = [];
  const latencyMetrics = COMPARED_METRICS.filter((m) => m !== 'rps');
  const bootstrap =
    a.blocks && b.blocks
      ? blockBootstrapRatios(
          a.blocks,
          b.blocks,
          latencyMetrics.map((m) => METRIC_PERCENTILES[m]),
          confidence,
        )
      : undefined;
  for (const metric of COMPARED_METRICS) {
    if (metric === 'rps') {
      const poisson = rateRatio(
        { count: a.ok, seconds: a.seconds },
        { count: b.ok, seconds: b.seconds },
        confidence,
      );
      // As for latency, the wider of the two: Poisson counts every response as independent.
      const blocks =
        a.blocks && b.blocks ? blockBootstrapRateRatio(a.blocks, b.blocks, confidence) : undefined;
      const r = blocks
        ? {
            ratio: poisson.ratio,
            low: Math.min(poisson.low, blocks.low),
            high: Math.max(poisson.high, blocks.high),
          }
        : poisson;
      // Nothing succeeded now where something did before: as clear a throughput regression as there is.
      const judged =
        b.ok === 0 && a.ok > 0
          ? { clear: true, verdict: 'regressed' as const }
          : judge(r, tolerances.rps, b.ok / b.seconds - a.ok / a.seconds, false);
      metrics.push({
        metric,
        unit: 'ok/s',
        baseline: round(a.ok / a.seconds, 1),
        current: round(b.ok / b.seconds, 1),
        ...changeOf(r),
        tolerance: tolerances.rps,
        ...judged,
      });
    } else
      metrics.push(
        latencyMetric(
          metric,
          a.histogram,
          b.histogram,
          tolerances[metric],
          confidence,
          bootstrap?.[latencyMetrics.indexOf(metric)],
        ),
      );
  }
  return {
    name,
    metrics,
    distributionTest: ksTest(a.histogram, b.histogram),
    verdict: overall(metrics.map((m) => m.verdict)),
  };
}

function overall(verdicts: ComparisonVerdict[]): ComparisonVerdict {
  return verdicts.includes('regressed')
    ? 'regressed'
    : verdicts.includes('improved')
      ? 'improved'
      : 'unchanged';
}

// Formatted as the text and HTML tables do, so a line and its row agree.
const percent = (v: number | null) =>
  v === null ? '?' : `${v >= 0 ? '+' : ''}${(Math.round(v * 1000) / 10).toFixed(1)}%`;

function lines(sets: SetComparison[], verdict: ComparisonVerdict): string[] {
  return sets.flatMap((s) =>
    s.metrics
      .filter((m) => m.verdict === verdict)
      .map((m) => `${s.name} ${m.metric} ${percent(m.change)} (${m.baseline} → ${m.current} ${m.unit})`),
  );
}

/**
 * Compares a run with a saved baseline: per percentile (p50, p90, p99,
 * p99.9) the ratio current / baseline with its confidence interval, the
 * throughput ratio, and a Kolmogorov–Smirnov test of the whole
 * distributions, for all requests and per endpoint. A figure is `regressed`
 * only when its change is statistically clear (the interval excludes no
 * change) AND beyond its tolerance; `improved` likewise the other way.
 *
 * It returns the comparison and leaves `result.status` as it is: the CLI
 * sets `regressed` when the verdict is `regressed` and no threshold failed
 * (the exit codes' order, docs/load.md); a library caller that wants the
 * same status sets it likewise.
 */
export function compareToBaseline(
  loaded: LoadedBaseline,
  result: LoadResult,
  histograms: RunHistograms,
  options: CompareOptions = {},
): BaselineComparison {
  const confidence = options.confidence ?? 0.95;
  const tolerances = Object.fromEntries(
    COMPARED_METRICS.map((m) => [m, options.tolerances?.[m] ?? DEFAULT_TOLERANCE]),
  ) as Tolerances;
  const { baseline } = loaded;
  const kind = baseline.model === 'open' && result.model === 'open' ? 'corrected' : 'service';
  const aggregate = compareSet(
    'all',
    {
      histogram: loaded.histograms[kind],
      blocks: loaded.histograms.blocks?.all[kind],
      ok: baseline.requests.ok,
      seconds: baseline.durationSeconds,
    },
    {
      histogram: histograms[kind],
      blocks: histograms.blocks?.all[kind],
      ok: result.requests.ok,
      seconds: result.durationSeconds,
    },
    tolerances,
    confidence,
  );
  const several = baseline.endpoints.length > 1 || result.endpoints.length > 1;
  const endpoints: SetComparison[] = [];
  if (several) {
    result.endpoints.forEach((e, i) => {
      const j = baseline.endpoints.findIndex((b) => b.name === e.name);
      if (j < 0) return;
      const b = baseline.endpoints[j]!;
      endpoints.push(
        compareSet(
          e.name,
          {
            histogram: loaded.histograms.endpoints[j]![kind],
            blocks: loaded.histograms.blocks?.endpoints[j]?.[kind],
            ok: b.requests.ok,
            seconds: baseline.durationSeconds,
          },
          {
            histogram: histograms.endpoints[i]![kind],
            blocks: histograms.blocks?.endpoints[i]?.[kind],
            ok: e.requests.ok,
            seconds: result.durationSeconds,
          },
          tolerances,
          confidence,
        ),
      );
    });
  }
  const sets = [aggregate, ...endpoints];
  const charted = (h: LatencyHistograms['corrected']) => ({
    spectrum: spectrum(h),
    buckets: distribution(h),
  });
  return {
    file: loaded.file,
    baseline: {
      savedAt: baseline.savedAt,
      startedAt: baseline.startedAt,
      toolVersion: baseline.tool.version,
      model: baseline.model,
      rate: baseline.options.rate,
      connections: baseline.options.connections,
      durationSeconds: baseline.durationSeconds,
      urls: baseline.options.urls,
    },
    latency: kind,
    method: COMPARISON_METHOD,
    confidence,
    verdict: overall(sets.map((s) => s.verdict)),
    regressions: lines(sets, 'regressed'),
    improvements: lines(sets, 'improved'),
    warnings: comparabilityWarnings(baseline, result),
    aggregate,
    endpoints,
    distributions: { baseline: charted(loaded.histograms[kind]), current: charted(histograms[kind]) },
  };
}
