import type { CapacityResult } from './capacity-result.js';

/** `250 req/s`, `7.5 req/s`. */
export function formatRate(rate: number): string {
  return `${rate >= 10 ? Math.round(rate).toLocaleString('en-US') : rate} req/s`;
}

/** `99.2%` (one decimal, rounded down: never a confidence not reached; `>99.9%` above). */
export function formatConfidence(confidence: number): string {
  if (confidence >= 0.999) return '>99.9%';
  return `${(Math.floor(confidence * 1000) / 10).toFixed(1)}%`;
}

/** The verdict line: the capacity, its confidence, and the rate above it. */
export function capacityVerdict(r: CapacityResult): string {
  const slo = r.slo.expression;
  const failed = r.steps.find((s) => s.rate === r.firstFailure);
  const above =
    r.firstFailure === null
      ? ''
      : `; ${formatRate(r.firstFailure)} ${failed?.decision === 'unclear' ? 'could not be shown to meet it' : 'did not meet it'}`;
  const met =
    r.capacity !== null
      ? `${formatRate(r.capacity)} (${slo} met with ${formatConfidence(r.confidence ?? 0)} confidence${above})`
      : '';
  switch (r.status) {
    case 'found':
      return `capacity ${met}`;
    case 'max-rate-met':
      return `capacity at least ${met}: --max-rate was met, raise it to search higher`;
    case 'incomplete':
      return `capacity at least ${met}: the search stopped (${r.stoppedBy}) before a rate failed`;
    case 'none': {
      const budget = r.stoppedBy === 'max-time' ? ' (the time budget ended the search)' : '';
      const lowest = lowestStep(r);
      // Not met is not the same as shown to fail: an unclear lowest rate says nothing about capacity.
      if (lowest?.decision === 'unclear')
        return `capacity unknown: ${formatRate(lowest.rate)}, the lowest rate tried, could be shown neither to meet ${slo} nor to miss it${budget}; give the search more time (--max-time) or a quieter machine`;
      return `capacity none: no rate down to ${formatRate(lowest?.rate ?? r.options.minRate)} met ${slo}${budget}`;
    }
    case 'generator-saturated':
      return `capacity ${r.capacity !== null ? `at least ${met}` : 'unknown'}: the generator was saturated at ${formatRate(r.steps.at(-1)?.rate ?? 0)}, so its figures there cannot be trusted (add --workers, or run the generator on another machine)`;
  }
}

/**
 * The capacity in a few words, for tables: `125 req/s (97.3%)`, `≥ 400 req/s
 * (99.1%)` when the search could not go higher, `< 50 req/s` when the lowest
 * rate tried failed the SLO, `unknown` when it was only unclear or the
 * generator could not measure any.
 */
export function capacityShort(r: CapacityResult): string {
  if (r.capacity !== null) {
    const bound = r.status === 'found' ? '' : '≥ ';
    return `${bound}${formatRate(r.capacity)} (${formatConfidence(r.confidence ?? 0)})`;
  }
  if (r.status === 'none' && lowestStep(r)?.decision === 'unclear') return 'unknown';
  if (r.status === 'none' || r.firstFailure !== null)
    return `< ${formatRate(r.firstFailure ?? r.options.minRate)}`;
  return 'unknown';
}

function lowestStep(r: CapacityResult): CapacityResult['steps'][number] | undefined {
  return [...r.steps].sort((a, b) => a.rate - b.rate)[0];
}
