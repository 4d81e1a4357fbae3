import {
  type Cell,
  type ChartSeries,
  type ChartSpec,
  escapeHtml,
  formatMs,
  htmlTable,
} from '../../report/index.js';
import type { LoadResult } from '../load-result.js';

/** Values of server points on the client's seconds: the point within half a second of each, else a gap. */
function onAxis<P extends { second: number }>(
  x: readonly number[],
  points: readonly P[],
  value: (p: P) => number | undefined | null,
): (number | null)[] {
  return x.map((s) => {
    const p = points.find((q) => Math.abs(q.second - s) < 0.5);
    const v = p ? value(p) : undefined;
    return v === undefined || v === null ? null : v;
  });
}

/**
 * Charts of the server signals on the same time axis as the client's
 * latency and throughput charts (the client's seconds): the machine's CPU
 * (with the database server's and the app's when read), database sessions
 * and statement time, and the app's CPU and event loop.
 */
export function signalCharts(r: LoadResult): ChartSpec[] {
  const s = r.signals;
  if (!s) return [];
  const x = r.series.map((p) => p.second);
  const out: ChartSpec[] = [];
  const host = s.host?.series ?? [];
  if (host.length > 0) {
    const dbCpu = s.db?.series.filter((p) => p.cpu !== undefined) ?? [];
    const series: ChartSeries[] = [
      { label: `busy, cores (of ${s.host!.cpus})`, values: onAxis(x, host, (p) => p.busyCores) },
      ...(dbCpu.length > 0
        ? [{ label: 'database server CPU, cores', values: onAxis(x, dbCpu, (p) => p.cpu), color: '#7c3aed' }]
        : []),
      ...((s.process?.series.length ?? 0) > 0
        ? [
            {
              label: 'app process CPU, cores',
              values: onAxis(x, s.process!.series, (p) => p.cpu),
              dash: true,
            },
          ]
        : []),
      {
        label: 'runnable threads',
        values: onAxis(x, host, (p) => p.running),
        rightAxis: true,
        dash: true,
        color: '#dc2626',
      },
    ];
    out.push({
      id: 'host-signals',
      title: 'The machine: CPU busy and runnable threads per second',
      x,
      xLabel: 'second',
      yLabel: 'cores',
      yRightLabel: 'threads',
      xFormat: 'seconds',
      series,
    });
  }
  if (s.db) {
    const db = s.db.series;
    const series: ChartSeries[] = [];
    if (db.some((p) => p.sessions)) {
      series.push(
        { label: 'active sessions', values: onAxis(x, db, (p) => p.sessions?.active) },
        {
          label: 'waiting on a lock',
          values: onAxis(x, db, (p) => p.sessions?.waitingOnLock),
          color: '#dc2626',
        },
        {
          label: 'idle in transaction',
          values: onAxis(x, db, (p) => p.sessions?.idleInTransaction),
          dash: true,
        },
      );
    }
    if (db.some((p) => p.statements)) {
      series.push({
        label: 'statement time, ms per second',
        values: onAxis(x, db, (p) => p.statements?.totalMs),
        rightAxis: true,
        dash: true,
      });
    }
    if (series.length > 0)
      out.push({
        id: 'db-signals',
        title: 'Database: sessions and statement time per second',
        x,
        xLabel: 'second',
        yLabel: 'sessions',
        yRightLabel: 'ms/s',
        xFormat: 'seconds',
        series,
      });
  }
  const proc = s.process?.series ?? [];
  const m = s.metrics?.series ?? [];
  if (proc.length > 0 || m.length > 0) {
    const series: ChartSeries[] = [];
    if (proc.length > 0) {
      series.push(
        { label: 'process CPU, cores', values: onAxis(x, proc, (p) => p.cpu) },
        { label: 'main thread CPU', values: onAxis(x, proc, (p) => p.mainThreadCpu) },
        {
          label: 'main thread waiting for a CPU',
          values: onAxis(x, proc, (p) => p.mainThreadWaiting),
          dash: true,
        },
      );
    }
    if (m.some((p) => p.cpu !== undefined) && proc.length === 0)
      series.push({ label: 'CPU (metrics), cores', values: onAxis(x, m, (p) => p.cpu) });
    if (m.some((p) => p.eventLoopUtilization !== undefined))
      series.push({ label: 'event-loop utilization', values: onAxis(x, m, (p) => p.eventLoopUtilization) });
    if (m.some((p) => p.eventLoopLagMs !== undefined))
      series.push({
        label: 'event-loop lag p99, ms',
        values: onAxis(x, m, (p) => p.eventLoopLagMs),
        rightAxis: true,
        dash: true,
      });
    if (m.some((p) => p.poolWaiting !== undefined))
      series.push({
        label: 'pool: clients waiting',
        values: onAxis(x, m, (p) => p.poolWaiting),
        rightAxis: true,
        color: '#dc2626',
      });
    if (series.length > 0)
      out.push({
        id: 'app-signals',
        title: 'The app: CPU and event loop per second',
        x,
        xLabel: 'second',
        yLabel: 'cores / share',
        yRightLabel: 'ms / clients',
        xFormat: 'seconds',
        series,
      });
  }
  return out;
}

/** The bottlenecks, strongest first, with evidence, advice and commands; and the run's heaviest statements. */
export function bottleneckHtml(r: LoadResult): string {
  const parts: string[] = [];
  if (r.bottlenecks.length === 0) {
    const server = r.signals && (r.signals.db || r.signals.process || r.signals.metrics);
    parts.push(
      server
        ? '<p class="muted">No bottleneck named: no signal crossed its bar.</p>'
        : `<p class="muted">No server signals were sampled (use --db, --pid or --metrics)${r.signals?.host ? '; the machine’s CPU was, and had room' : ''}: only client-side limits${r.signals?.host ? ' and a saturated machine' : ''} can be named.</p>`,
    );
  }
  for (const [i, b] of r.bottlenecks.entries()) {
    const advice = b.statement?.advice;
    const lines = [
      ...(advice?.plan ?? []).map((l) => `plan: ${l}`),
      ...(advice?.indexes ?? []).map(
        (ix) => `index: ${ix.createSql} (cost ${Math.round(ix.costBefore)} → ${Math.round(ix.costAfter)})`,
      ),
      ...(advice?.notes ?? []),
    ];
    parts.push(
      `<h3>${i + 1}. ${escapeHtml(b.kind)} <span class="muted">(${b.score})</span></h3><p>${escapeHtml(b.message)}</p>` +
        (lines.length ? `<pre>${escapeHtml(lines.join('\n'))}</pre>` : '') +
        `<p class="muted">${Object.entries(b.evidence)
          .map(([k, v]) => `${escapeHtml(k)} ${escapeHtml(v)}`)
          .join(' · ')}</p>` +
        `<pre>${escapeHtml(b.dig.join('\n'))}</pre>`,
    );
  }
  const top = r.signals?.db?.statements?.top ?? [];
  if (top.length > 0) {
    const rows: Cell[][] = top.map((t) => [
      `${t.sharePct}%`,
      t.calls,
      formatMs(t.meanMs),
      t.calls ? Math.round((t.rows / t.calls) * 10) / 10 : 0,
      t.query.replace(/\s+/g, ' ').slice(0, 200),
    ]);
    parts.push(
      '<h3>Heaviest statements during the run (pg_stat_statements)</h3>' +
        htmlTable(['time share', 'calls', 'mean', 'rows/call', 'statement'], rows, { numeric: [0, 1, 2, 3] }),
    );
  }
  for (const note of [
    ...(r.signals?.host?.notes ?? []),
    ...(r.signals?.db?.notes ?? []),
    ...(r.signals?.process?.notes ?? []),
    ...(r.signals?.metrics?.notes ?? []),
  ])
    parts.push(`<p class="muted">${escapeHtml(note)}</p>`);
  return parts.join('');
}
