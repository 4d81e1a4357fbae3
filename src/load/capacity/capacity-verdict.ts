import { HOLDER_NAMES, HOLDER_SHARE } from '../bottleneck/host-cpu-figures.js';
import type { CapacityHostCpu, CapacityResult } from './capacity-result.js';

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
    case 'generator-saturated': {
      const last = r.steps.at(-1);
      const at = formatRate(last?.rate ?? 0);
      const capacity = `capacity ${r.capacity !== null ? `at least ${met}` : 'unknown'}`;
      if (last?.hostCpu)
        return `${capacity}: at ${at} ${hostReason(last.hostCpu)} (run the generator on another machine to search higher${last.hostCpu.holders[0]?.who === 'database' ? '; on this machine the database takes the cores first' : ''})`;
      return `${capacity}: the generator was saturated at ${at}, so its figures there cannot be trusted (add --workers, or run the generator on another machine)`;
    }
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

/** `the machine was saturated (2 CPUs 98% busy; the database server held 1.6 cores, 80%): …`. */
export function hostReason(h: CapacityHostCpu): string {
  const top = h.holders[0];
  const holder =
    top && top.sharePct >= HOLDER_SHARE * 100
      ? top.who === 'generator'
        ? `; the load generator itself held ${top.cores} cores, ${top.sharePct}%`
        : `; ${top.who === 'other' && h.unattributed.length ? 'unattributed processes' : HOLDER_NAMES[top.who]} held ${top.cores} cores, ${top.sharePct}%`
      : '';
  const generatorHolds = top?.who === 'generator' && top.sharePct >= HOLDER_SHARE * 100;
  return `the machine was saturated (${h.cpus} CPUs ${h.busyPct}% busy${holder}): ${
    generatorHolds
      ? 'the generator competes with the target for the cores'
      : 'the generator was late because the machine was full, not because it is the limit'
  }; its figures cannot be trusted`;
}
