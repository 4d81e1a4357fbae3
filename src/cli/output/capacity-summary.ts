import { formatDuration } from '../../core/duration.js';
import {
  type CapacityEvent,
  type CapacityResult,
  type CapacityStep,
  capacityVerdict,
  formatConfidence,
  formatRate,
  type ObjectiveJudgement,
} from '../../load/index.js';
import { formatMs, formatPercent } from '../../report/format.js';
import type { Colors } from './colors.js';
import { loadProgressText } from './load-progress.js';
import type { Progress } from './progress.js';
import { renderTable } from './table.js';

/** `4.20 ms (3.90–5.10)`; an interval without an upper bound reads `(3.90–?)`. */
function objectiveCell(o: ObjectiveJudgement): string {
  if (o.samples === 0) return '–';
  const high = o.high === null ? '?' : formatMs(o.high);
  return `${formatMs(o.value)} (${formatMs(o.low)}–${high})`;
}

function decisionCell(step: CapacityStep, c: Colors): string {
  switch (step.decision) {
    case 'pass':
      return c.green('met');
    case 'fail':
      return c.red('not met');
    case 'unclear':
      return c.yellow('unclear');
    case 'untrusted':
      return c.yellow('untrusted');
  }
}

/**
 * Renders a capacity search: one row per rate tried (in rate order), with
 * each latency objective's percentile and its confidence interval, the
 * errors, the decision and its confidence; then the verdict.
 */
export function renderCapacitySummary(r: CapacityResult, c: Colors): string {
  const out: string[] = [];
  const level = Math.round(r.method.confidence * 1000) / 10;
  out.push(
    `${c.bold('tenon load --find-capacity')} · ${r.slo.expression}${r.slo.errorBudgetSource === 'default' ? `, errors<${r.slo.errorBudget}%` : ''} · up to ${formatRate(r.options.maxRate)} · ${level}% confidence · ${r.durationSeconds}s${r.interrupted ? c.yellow(' · interrupted') : ''}`,
  );
  for (const url of r.options.urls) out.push(c.dim(`  ${url}`));
  out.push('');
  const objectives = r.slo.latency;
  const rows = [...r.steps]
    .sort((a, b) => a.rate - b.rate)
    .map((s) => [
      formatRate(s.rate),
      s.repeats > 0 ? String(Math.round(s.achievedRps * 10) / 10) : '–',
      `${s.repeats}${s.discardedRepeats > 0 ? ` (+${s.discardedRepeats} dropped)` : ''}`,
      ...objectives.map((o) => {
        const j = s.objectives.find((x) => x.expression === o.expression);
        return j ? objectiveCell(j) : '–';
      }),
      s.repeats > 0 ? formatPercent(s.errors.rate) : '–',
      decisionCell(s, c),
      s.decision === 'untrusted' ? '–' : formatConfidence(s.confidence),
      s.decision === 'pass' ? '' : s.reason,
    ]);
  out.push(
    renderTable(
      [
        'rate',
        'ok/s',
        'runs',
        ...objectives.map((o) => `${o.expression} (${level}% CI)`),
        'errors',
        'decision',
        'confidence',
        'why',
      ],
      rows,
      { alignRight: [0, 1, 2, ...objectives.map((_, i) => 3 + i), 3 + objectives.length] },
    ),
  );
  out.push('');
  out.push(
    c.dim(
      `method  ${r.method.search}; each rate run ${r.method.minRepeats}–${r.method.maxRepeats} times for ${formatDuration(r.options.stepDurationMs)}+ and pooled; ${r.method.test}`,
    ),
  );
  out.push('');
  const verdict = capacityVerdict(r);
  out.push(r.status === 'found' || r.status === 'max-rate-met' ? c.green(verdict) : c.yellow(verdict));
  return `${out.join('\n')}\n`;
}

/** Renders a search's events: a milestone per run and per decision, the live line in between. */
export function capacityProgress(progress: Progress): (event: CapacityEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'repeat-start':
        progress.milestone(
          `capacity: ${formatRate(event.rate)}, run ${event.repeat} (${formatDuration(event.durationMs)})`,
        );
        return;
      case 'progress':
        progress.update(
          `capacity: ${formatRate(event.rate)}, run ${event.repeat}: ${loadProgressText(event.progress)}`,
        );
        return;
      case 'step-done': {
        const s = event.step;
        progress.milestone(
          s.decision === 'untrusted'
            ? `capacity: ${formatRate(s.rate)} untrusted (${s.reason})`
            : `capacity: ${formatRate(s.rate)} ${s.decision} (${formatConfidence(s.confidence)} confidence${s.decision === 'pass' ? '' : `; ${s.reason}`})`,
        );
        return;
      }
    }
  };
}
