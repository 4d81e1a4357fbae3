import { formatDuration } from '../../core/duration.js';
import { describeHolders, describeHost, hostCpuFigures } from '../../load/bottleneck/host-cpu-figures.js';
import { describeExamples, type ScenarioEvent, type ScenarioResult } from '../../load/index.js';
import { formatLatency, formatMs, formatPercent, formatInt as int } from '../../report/format.js';
import type { Colors } from './colors.js';
import type { Progress } from './progress.js';
import { renderTable } from './table.js';

function describeRun(r: ScenarioResult): string {
  const o = r.options;
  const load =
    r.model === 'open'
      ? `${o.rate} flows/s, ${o.vus} users set up, up to ${o.maxVus}`
      : `${o.vus} virtual user${o.vus === 1 ? '' : 's'}`;
  const span = [
    o.iterations !== null ? `${int(o.iterations)} flows` : '',
    o.durationMs !== null ? formatDuration(o.durationMs) : '',
  ]
    .filter(Boolean)
    .join(' or ');
  return `${r.model} model · ${load} · ${span}`;
}

const failureText = (failures: Record<string, number | undefined>) =>
  Object.entries(failures)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

/**
 * Renders a scenario result: one row per flow (success rate and duration
 * percentiles), one per step (requests, errors, latency percentiles), then
 * thresholds, the first failure messages and the verdict.
 */
export function renderScenarioSummary(r: ScenarioResult, c: Colors): string {
  const out: string[] = [];
  const name = r.scenario.name ? ` ${r.scenario.name}` : '';
  out.push(
    `${c.bold(`tenon load --scenario${name}`)} · ${describeRun(r)}${r.interrupted ? c.yellow(' · interrupted') : ''}`,
  );
  out.push(c.dim(`  ${r.scenario.file}`));
  out.push('');
  const flowRows = r.flows.map((f) => [
    f.name,
    int(f.started),
    int(f.ok),
    int(f.failed),
    formatPercent(f.successRate),
    String(f.okPerSecond),
    formatLatency(f.duration.p50, f.ok),
    formatLatency(f.duration.p95, f.ok),
    formatLatency(f.duration.p99, f.ok),
    formatLatency(f.duration.max, f.ok),
  ]);
  out.push(
    renderTable(
      ['flow', 'started', 'ok', 'failed', 'success', 'ok/s', 'p50', 'p95', 'p99', 'max'],
      flowRows,
      {
        alignRight: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      },
    ).trimEnd(),
  );
  out.push(
    c.dim(
      r.model === 'open'
        ? '  flow durations count from the intended start (corrected), think time included'
        : '  closed model: flow durations from the actual start, think time included',
    ),
  );
  out.push('');
  const stepRows = r.steps.map((s) => [
    s.name,
    s.method,
    int(s.requests),
    s.failed ? `${int(s.failed)} (${formatPercent(s.errorRate)})` : '0',
    formatLatency(s.latency.p50, s.ok),
    formatLatency(s.latency.p95, s.ok),
    formatLatency(s.latency.p99, s.ok),
    formatLatency(s.latency.max, s.ok),
    failureText(s.failures),
  ]);
  out.push(
    renderTable(['step', 'method', 'requests', 'failed', 'p50', 'p95', 'p99', 'max', 'failures'], stepRows, {
      alignRight: [2, 3, 4, 5, 6, 7],
    }).trimEnd(),
  );
  const t = r.totals;
  out.push(
    c.dim(
      `  flows ${int(t.flows.started)} started, ${formatPercent(t.flows.successRate)} succeeded, ${t.flows.okPerSecond} ok/s · requests ${int(t.requests.total)}, ${t.requests.rps} req/s, ${formatPercent(t.requests.errorRate)} failed · latency of successful requests only`,
    ),
  );
  out.push(
    `users      ${r.vus.created} created · peak busy ${r.vus.peakBusy}${r.model === 'open' ? ` · flows that waited for a user ${int(r.queued)}` : ''}${r.unstarted > 0 ? c.yellow(` · ${int(r.unstarted)} never started (all users busy: raise --max-vus)`) : ''}`,
  );
  const g = r.generator;
  const own = g.ownDelay
    ? ` · own delay ${formatMs(g.ownDelay.meanMs)} per request (${g.ownDelay.share}% of latency, ${g.ownDelay.tolerance} tolerated)`
    : '';
  out.push(
    `generator  event loop busy ${Math.round(g.utilization * 100)}% (CPU ${g.cpuCores}) · lag p99 ${formatMs(g.eventLoopLag.p99)}${own} · ${g.saturated ? c.yellow(`SATURATED: ${g.reasons.join('; ')}`) : 'kept up'}`,
  );
  const host = r.signals ? hostCpuFigures(r.signals, g.cpuCores) : undefined;
  if (host)
    out.push(
      `machine    ${describeHost(host)} (busiest second ${Math.round(host.busyMax * 100)}%)${host.saturated ? ` ${c.yellow('saturated')}: ${describeHolders(host)}` : ''}`,
    );
  const examples = r.steps.filter((s) => s.examples.length > 0);
  if (examples.length > 0) {
    out.push('');
    out.push(c.bold('failures'));
    for (const s of examples) out.push(`  ${s.name}: ${describeExamples(s)}`);
  }
  if (r.recommendations.length > 0) {
    out.push('');
    out.push(c.bold('findings'));
    for (const rec of r.recommendations)
      out.push(`  ${rec.severity === 'warning' ? c.yellow('!') : c.dim('·')} ${rec.message}`);
  }
  if (r.thresholds.length > 0) {
    out.push('');
    out.push(c.bold('thresholds'));
    for (const th of r.thresholds) {
      const actual =
        th.actual === null || Number.isNaN(th.actual)
          ? (th.reason ?? 'not measured')
          : th.unit === 'ms'
            ? formatMs(th.actual)
            : th.unit === '%'
              ? formatPercent(th.actual)
              : `${th.actual}/s`;
      const origin = th.source === 'default' ? c.dim(' (default)') : '';
      out.push(`  ${th.pass ? c.green('✓') : c.red('✗')} ${th.expression.padEnd(24)} ${actual}${origin}`);
    }
  }
  out.push('');
  const verdict =
    r.status === 'pass'
      ? c.green('PASS')
      : r.status === 'threshold-failed'
        ? c.red(
            `FAIL: thresholds not met${r.generator.saturated ? ' (and the generator was saturated)' : ''}`,
          )
        : r.status === 'generator-saturated'
          ? c.yellow('GENERATOR SATURATED: figures not trustworthy')
          : c.red('FAIL: no flow succeeded');
  out.push(`result     ${verdict}`);
  return `${out.join('\n')}\n`;
}

/** Renders `runScenario`'s events on a {@link Progress}. */
export function scenarioProgress(progress: Progress): (event: ScenarioEvent) => void {
  return (event) => {
    if (event.type === 'run-start') {
      const span = event.durationMs === null ? '' : ` for ${formatDuration(event.durationMs)}`;
      progress.milestone(`load: scenario, ${event.model} model, ${event.vus} users set up, measuring${span}`);
      return;
    }
    const text = `load: ${event.second}s · flows ok ${event.flowsOk}/s · failed ${event.flowsFailed} · flow p99 ${formatMs(event.flowP99)} · users busy ${event.vusBusy}`;
    if (event.second % 10 === 0) progress.milestone(text);
    else progress.update(text);
  };
}
