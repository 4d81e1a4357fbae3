import { formatDuration } from '../../core/duration.js';
import { describeHolders, describeHost, hostCpuFigures } from '../../load/bottleneck/host-cpu-figures.js';
import type { EndpointResult, LoadResult } from '../../load/load-result.js';
import {
  formatInt,
  formatLatency,
  formatMs,
  formatPercent,
  PERCENTILE_LABELS as PERCENTILES,
} from '../../report/format.js';
import type { Colors } from './colors.js';
import { renderTable } from './table.js';

/** Re-exported for the CLI's progress lines. */
export { formatMs };

const int = formatInt;

function describeLoad(r: LoadResult): string {
  const o = r.options;
  const load =
    r.model === 'open'
      ? o.stages
        ? `stages ${o.stages.map((s) => `${formatDuration(s.durationMs)}:${s.target}`).join(',')}`
        : `${int(o.rate ?? 0)} req/s, up to ${o.connections} connections`
      : o.stages
        ? `connection stages ${o.stages.map((s) => `${formatDuration(s.durationMs)}:${s.target}`).join(',')}`
        : `${o.connections} connections`;
  const span =
    o.requests !== null && r.model === 'closed'
      ? `${int(o.requests)} requests`
      : formatDuration(o.durationMs);
  const warm = o.warmupMs > 0 ? ` after ${formatDuration(o.warmupMs)} warmup` : '';
  return `${r.model} model · ${load} · ${span}${warm} · ${o.workers} worker${o.workers === 1 ? '' : 's'}`;
}

function latencyRows(endpoints: Pick<EndpointResult, 'latency'>[], open: boolean): string[][] {
  // No successful response: no latency to show (a dash, not a reassuring 0.00 ms).
  const at = (
    e: Pick<EndpointResult, 'latency'>,
    kind: 'corrected' | 'service',
    key: (typeof PERCENTILES)[number][0],
  ) => formatLatency(e.latency[kind][key]);
  return PERCENTILES.map(([key, label]) => [
    label,
    ...endpoints.flatMap((e) =>
      open ? [at(e, 'corrected', key), at(e, 'service', key)] : [at(e, 'service', key)],
    ),
  ]);
}

const THRESHOLD_ACTUAL = {
  ms: (v: number) => formatMs(v),
  '%': (v: number) => `${v}%`,
  'req/s': (v: number) => `${v} req/s`,
  requests: (v: number) => int(v),
} as const;

function countRows(endpoints: (EndpointResult | LoadResult)[]): string[][] {
  const statuses = [...new Set(endpoints.flatMap((e) => Object.keys(e.statusCodes)))].sort();
  const categories = [
    ...new Set(
      endpoints.flatMap((e) =>
        Object.entries(e.errors.byCategory)
          .filter(([, n]) => n > 0)
          .map(([k]) => k),
      ),
    ),
  ];
  return [
    ['requests', ...endpoints.map((e) => int(e.requests.total))],
    ['ok', ...endpoints.map((e) => int(e.requests.ok))],
    ['errors', ...endpoints.map((e) => `${int(e.errors.total)} (${formatPercent(e.errors.rate)})`)],
    ...categories.map((c) => [
      `  ${c}`,
      ...endpoints.map((e) => int(e.errors.byCategory[c as keyof typeof e.errors.byCategory])),
    ]),
    ...(categories.length > 0
      ? [
          [
            '  latency',
            ...endpoints.map((e) =>
              e.errors.latency.count === 0
                ? '—'
                : `p50 ${formatLatency(e.errors.latency.p50)}, p99 ${formatLatency(e.errors.latency.p99)}`,
            ),
          ],
        ]
      : []),
    ['throughput', ...endpoints.map((e) => `${e.throughput.rps.toFixed(1)} ok/s`)],
    ['attempted', ...endpoints.map((e) => `${e.throughput.attemptedRps.toFixed(1)} req/s`)],
    ...statuses.map((s) => [`status ${s}`, ...endpoints.map((e) => int(e.statusCodes[s] ?? 0))]),
  ];
}

/** The server-side signals and the ranked bottlenecks (nothing when no signal was asked for and none is named). */
function bottleneckLines(r: LoadResult, c: Colors): string[] {
  const out: string[] = [];
  const sig = r.signals;
  if (sig) {
    out.push('');
    const sampled: string[] = [];
    if (sig.db) {
      const o = sig.db.overhead;
      sampled.push(
        `database ${sig.db.kind} ${Math.floor(sig.db.serverVersion / 10000)} (${sig.db.series.length} samples, ${o.statementsPerSecond} statements/s, ${formatMs(o.meanSampleMs)} each${sig.db.cpu.local ? `; its CPU from /proc, postmaster ${sig.db.cpu.postmasterPid}` : ''})`,
      );
    }
    if (sig.process) sampled.push(`process ${sig.process.pid} (${sig.process.name})`);
    if (sig.metrics) sampled.push(`metrics ${sig.metrics.url} (${sig.metrics.families} families)`);
    const host = hostCpuFigures(sig, r.generator.cpuCores);
    if (host)
      out.push(
        `${c.bold('machine')}    ${describeHost(host)} (busiest second ${Math.round(host.busyMax * 100)}%)${host.saturated ? ` ${c.yellow('saturated')}: ${describeHolders(host)}` : ''}`,
      );
    if (sampled.length > 0) out.push(`${c.bold('server')}     sampled ${sampled.join(' · ')}`);
    for (const note of [
      ...(sig.host?.notes ?? []),
      ...(sig.db && !sig.db.cpu.local && sig.db.kind === 'postgres' ? [sig.db.cpu.reason ?? ''] : []),
      ...(sig.db?.notes ?? []),
      ...(sig.process?.notes ?? []),
      ...(sig.metrics?.notes ?? []),
    ])
      out.push(c.dim(`  · ${note}`));
  }
  if (r.bottlenecks.length === 0) {
    if (sig) out.push(`bottleneck ${c.green('none named')}: no signal crossed its bar (see docs/load.md)`);
    return out;
  }
  out.push('');
  out.push(c.bold('bottlenecks (strongest first)'));
  r.bottlenecks.forEach((b, i) => {
    out.push(`  ${i + 1}. ${c.yellow(b.kind)} (${b.score}) ${b.message}`);
    const advice = b.statement?.advice;
    for (const line of advice?.plan ?? []) out.push(c.dim(`       plan: ${line}`));
    for (const ix of advice?.indexes ?? [])
      out.push(
        `       index: ${ix.createSql.split('\n')[0]} ${c.dim(`(cost ${Math.round(ix.costBefore)} → ${Math.round(ix.costAfter)})`)}`,
      );
    for (const note of advice?.notes ?? []) out.push(c.dim(`       note: ${note}`));
    for (const cmd of b.dig) out.push(c.dim(`       → ${cmd}`));
  });
  return out;
}

/**
 * Renders a load result for the terminal: what ran, latency percentiles
 * (corrected and service side by side in the open model; one column per
 * endpoint, side by side, when there are several), counts, the schedule and
 * generator health, thresholds, recommendations and the verdict.
 */
export function renderLoadSummary(r: LoadResult, c: Colors): string {
  const open = r.model === 'open';
  const out: string[] = [];
  out.push(`${c.bold('tenon load')} · ${describeLoad(r)}${r.interrupted ? c.yellow(' · interrupted') : ''}`);
  for (const url of r.options.urls) out.push(c.dim(`  ${r.options.method} ${url}`));
  out.push('');

  const several = r.endpoints.length > 1;
  // With several endpoints, an `all` column too: the aggregate is what thresholds check.
  const columns = several ? [...r.endpoints, r] : [r];
  const names = several ? [...r.endpoints.map((e) => e.name), 'all'] : [''];
  const head = [
    'latency',
    ...names.flatMap((n) => (open ? [`${n} corrected`.trim(), `${n} service`.trim()] : [n || 'service'])),
  ];
  const right = head.map((_, i) => i).slice(1);
  out.push(renderTable(head, latencyRows(columns, open), { alignRight: right }).trimEnd());
  if (!open)
    out.push(c.yellow('  closed model: latency is not corrected for coordinated omission (use --rate)'));
  out.push('');
  out.push(
    renderTable(['', ...(several ? names : ['total'])], countRows(columns), {
      alignRight: columns.map((_, i) => i + 1),
    }).trimEnd(),
  );
  out.push('');

  if (r.schedule) {
    const s = r.schedule;
    out.push(
      `schedule   target ${s.targetRps} req/s, sent ${s.sendRate} req/s · send delay p50 ${formatLatency(s.sendDelay.p50)}, p99 ${formatLatency(s.sendDelay.p99)} · late ${int(s.late)} · queued for a connection ${int(s.queued)}`,
    );
  }
  out.push(`connections peak in use ${r.connections.peakInUse} · opened ${r.connections.opened}`);
  const g = r.generator;
  const util = g.perWorker
    .map((w) => `${Math.round(w.utilization * 100)}%${w.cpu === null ? '' : ` (CPU ${w.cpu.toFixed(2)})`}`)
    .join(' ');
  const health = g.saturated ? c.red(`SATURATED: ${g.reasons.join('; ')}`) : c.green('kept up');
  const own = g.ownDelay
    ? ` · own delay ${formatMs(g.ownDelay.meanMs)} per request (${g.ownDelay.share}% of latency, ${g.ownDelay.tolerance} tolerated)`
    : '';
  out.push(
    `generator  ${g.workers} worker${g.workers === 1 ? '' : 's'} busy ${util} · event-loop lag p99 ${formatMs(g.eventLoopLag.p99)}${own} · ${health}`,
  );

  if (r.thresholds.length > 0) {
    out.push('');
    out.push(c.bold('thresholds'));
    for (const t of r.thresholds) {
      const from = t.source === 'user' ? '' : c.dim(t.source === 'slo' ? ' (--slo)' : ' (default)');
      out.push(
        `  ${t.pass ? c.green('✓') : c.red('✗')} ${t.expression.padEnd(16)} ${t.actual === null ? `— (${t.reason ?? 'no figure'})` : THRESHOLD_ACTUAL[t.unit](t.actual)}${from}`,
      );
    }
  }
  if (r.recommendations.length > 0) {
    out.push('');
    out.push(c.bold('findings'));
    for (const rec of r.recommendations)
      out.push(`  ${rec.severity === 'warning' ? c.yellow('!') : c.dim('·')} ${rec.message}`);
  }
  out.push(...bottleneckLines(r, c));
  out.push('');
  const failed = r.thresholds.filter((t) => !t.pass).map((t) => t.expression);
  const verdict =
    r.status === 'pass'
      ? c.green('PASS')
      : r.status === 'threshold-failed'
        ? c.red(
            `FAIL: ${failed.join(', ')} not met${g.saturated ? ' (and the generator was saturated)' : ''}`,
          )
        : r.status === 'regressed'
          ? c.red('REGRESSED vs baseline (below)')
          : c.red('GENERATOR SATURATED: figures not trustworthy');
  out.push(`result     ${verdict}`);
  return `${out.join('\n')}\n`;
}
