import { formatMs } from '../../report/format.js';
import type { LatencyHistogram } from '../histogram.js';
import { percentileUs } from '../histogram-summary.js';
import { binomialCdf, binomialQuantile, binomialSurvival } from './binomial.js';
import type { LatencyObjective } from './capacity-slo.js';
import { countBeyond, valueAtRank } from './histogram-tail.js';

/** A decision about one rate: met, not met, not clear yet, or not measurable by this generator. */
export type StepDecision = 'pass' | 'fail' | 'unclear' | 'untrusted';

/** One latency objective judged on the pooled samples of a step. */
export interface ObjectiveJudgement {
  expression: string;
  percentile: number;
  /** Milliseconds. */
  limit: number;
  /** The percentile over all the step's successful responses, ms. */
  value: number;
  /**
   * Distribution-free confidence interval of the percentile at the search's
   * level, ms (order statistics of the pooled sample). `high` is null when
   * the sample is too small to bound it from above.
   */
  low: number;
  high: number | null;
  /** Successful responses, and how many of them did not meet the limit. */
  samples: number;
  beyond: number;
  decision: 'pass' | 'fail' | 'unclear';
  /**
   * Confidence (0–1) that the true percentile is on the side decided (for
   * `unclear`: on the side the sample leans to): one minus the p-value of
   * the exact binomial test of the share of samples beyond the limit
   * against 1 − percentile.
   */
  confidence: number;
}

/**
 * Judges a latency objective on a sample. Under "the true percentile equals
 * the limit", each sample is beyond the limit with probability
 * p₀ = 1 − percentile/100, so the count beyond is Binomial(n, p₀). Few
 * beyond (P(K ≤ k) ≤ 1 − level) shows the percentile is under the limit;
 * many (P(K ≥ k) ≤ 1 − level) shows it is over; otherwise the sample
 * cannot tell yet.
 */
export function judgeObjective(
  histogram: LatencyHistogram,
  objective: LatencyObjective,
  level: number,
): ObjectiveJudgement {
  const n = histogram.totalCount;
  const p0 = 1 - objective.percentile / 100;
  const beyond = countBeyond(histogram, Math.round(objective.limit * 1000), objective.inclusive);
  const passConfidence = n === 0 ? 0 : 1 - binomialCdf(beyond, n, p0);
  const failConfidence = n === 0 ? 0 : 1 - binomialSurvival(beyond, n, p0);
  const alpha = 1 - level;
  // Samples beyond the true percentile ~ Binomial(n, p₀): their central (1 − α) range gives the ranks that bound it.
  const fewest = binomialQuantile(alpha / 2, n, p0);
  const most = binomialQuantile(1 - alpha / 2, n, p0);
  const lowRank = Math.max(1, n - most);
  const highRank = n - fewest + 1;
  const ms = (us: number) => Math.round(us) / 1000;
  const decision = passConfidence >= level ? 'pass' : failConfidence >= level ? 'fail' : ('unclear' as const);
  return {
    expression: objective.expression,
    percentile: objective.percentile,
    limit: objective.limit,
    value: n === 0 ? 0 : ms(percentileUs(histogram, objective.percentile)),
    low: n === 0 ? 0 : ms(valueAtRank(histogram, lowRank)),
    high: n === 0 || highRank > n ? null : ms(valueAtRank(histogram, highRank)),
    samples: n,
    beyond,
    decision,
    confidence: round4(
      decision === 'fail' || (decision === 'unclear' && failConfidence > passConfidence)
        ? failConfidence
        : passConfidence,
    ),
  };
}

/** The error rate of a step against its budget. */
export interface ErrorJudgement {
  requests: number;
  errors: number;
  /** Percent. */
  rate: number;
  /** Percent. */
  budget: number;
  /**
   * `pass` when the rate is within the budget (a short step cannot prove a
   * rate under 0.1 %, so the observed rate decides); over it, `fail` once
   * the exact binomial test shows the true rate above the budget at the
   * search's level, `unclear` before.
   */
  decision: 'pass' | 'fail' | 'unclear';
  /** For `fail`/`unclear`: confidence that the true rate is above the budget. */
  confidence: number;
}

/** Judges a step's failed requests against the error budget (percent). */
export function judgeErrors(requests: number, errors: number, budget: number, level: number): ErrorJudgement {
  const rate = requests === 0 ? 0 : (errors / requests) * 100;
  if (rate <= budget)
    return { requests, errors, rate: round4(rate), budget, decision: 'pass', confidence: 1 };
  const confidence = 1 - binomialSurvival(errors, requests, budget / 100);
  return {
    requests,
    errors,
    rate: round4(rate),
    budget,
    decision: confidence >= level ? 'fail' : 'unclear',
    confidence: round4(confidence),
  };
}

/** A step's decision from its parts, with the confidence it rests on and why. */
export function decideStep(
  objectives: readonly ObjectiveJudgement[],
  errors: ErrorJudgement,
  ok: number,
): { decision: Exclude<StepDecision, 'untrusted'>; confidence: number; reason: string } {
  if (ok === 0) return { decision: 'fail', confidence: 1, reason: 'no request succeeded' };
  if (errors.decision === 'fail')
    return {
      decision: 'fail',
      confidence: errors.confidence,
      reason: `errors ${errors.rate}% over the ${errors.budget}% budget`,
    };
  const failed = objectives.filter((o) => o.decision === 'fail');
  if (failed.length > 0) {
    const worst = failed.reduce((a, b) => (b.confidence > a.confidence ? b : a));
    return { decision: 'fail', confidence: worst.confidence, reason: `${worst.expression} not met` };
  }
  const unclear = objectives.filter((o) => o.decision === 'unclear');
  if (unclear.length > 0 || errors.decision === 'unclear') {
    const first = unclear[0];
    return {
      decision: 'unclear',
      confidence: first ? first.confidence : errors.confidence,
      reason: first
        ? `${first.expression}: ${formatMs(first.value)}, too close to call`
        : `errors ${errors.rate}% just over the ${errors.budget}% budget`,
    };
  }
  return {
    decision: 'pass',
    confidence: Math.min(...objectives.map((o) => o.confidence)),
    reason: 'met',
  };
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
