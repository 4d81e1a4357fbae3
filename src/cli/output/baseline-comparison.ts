import {
  type BaselineComparison,
  formatMetricValue,
  METRIC_LABELS,
  type MetricComparison,
  type SetComparison,
} from '../../load/index.js';
import { formatMs } from '../../report/format.js';
import type { Colors } from './colors.js';
import { renderTable } from './table.js';

const pct = (v: number | null, signed = true) =>
  v === null ? '∞' : `${signed && v >= 0 ? '+' : ''}${(Math.round(v * 1000) / 10).toFixed(1)}%`;

const LABELS = METRIC_LABELS;
const value = formatMetricValue;

function tolerance(m: MetricComparison): string {
  const rel = `${Math.round(m.tolerance.relative * 1000) / 10}%`;
  return m.tolerance.absoluteMs > 0 ? `${rel} & ${formatMs(m.tolerance.absoluteMs)}` : rel;
}

function setTable(s: SetComparison, c: Colors): string {
  const rows = s.metrics.map((m) => [
    LABELS[m.metric],
    value(m, m.baseline),
    value(m, m.current),
    m.change === null ? '—' : pct(m.change),
    m.change === null
      ? '—'
      : m.changeInterval[0] === null || m.changeInterval[1] === null
        ? 'too few samples'
        : `${pct(m.changeInterval[0])} … ${pct(m.changeInterval[1])}`,
    tolerance(m),
    m.verdict === 'regressed'
      ? c.red('regressed')
      : m.verdict === 'improved'
        ? c.green('improved')
        : m.clear
          ? 'unchanged (within tolerance)'
          : c.dim('unchanged'),
  ]);
  return renderTable([s.name, 'baseline', 'current', 'change', 'interval', 'tolerance', 'verdict'], rows, {
    alignRight: [1, 2, 3, 4],
    indent: '  ',
  }).trimEnd();
}

/**
 * Renders `--compare`: per endpoint (and all together) each percentile and
 * the throughput, baseline against current, with the change's confidence
 * interval, the tolerance and the verdict; then warnings and one verdict line.
 */
export function renderBaselineComparison(k: BaselineComparison, c: Colors): string {
  const b = k.baseline;
  const load = b.model === 'open' ? `${b.rate ?? 'staged'} req/s` : `${b.connections} connections`;
  const out: string[] = [
    '',
    `${c.bold('baseline')}   ${k.file} · saved ${b.savedAt} · ${b.model} model, ${load}, ${b.durationSeconds}s · comparing ${k.latency} latency, ${Math.round(k.confidence * 100)}% intervals`,
  ];
  for (const s of [k.aggregate, ...k.endpoints]) {
    out.push(setTable(s, c));
    const t = s.distributionTest;
    out.push(
      c.dim(
        `  distribution (Kolmogorov–Smirnov): D ${t.statistic.toFixed(3)}, p ${t.pValue < 0.001 ? '< 0.001' : t.pValue.toFixed(3)}${t.statistic > 0 ? `, largest at ${formatMs(t.atMs)}` : ''}`,
      ),
    );
  }
  for (const w of k.warnings) out.push(`  ${c.yellow('!')} not comparable? ${w}`);
  const verdict =
    k.verdict === 'regressed'
      ? c.red(`REGRESSED: ${k.regressions.join('; ')}`)
      : k.verdict === 'improved'
        ? c.green(`IMPROVED: ${k.improvements.join('; ')}`)
        : c.green('UNCHANGED (no figure changed beyond its tolerance with statistical clarity)');
  out.push(`baseline   ${verdict}`);
  return `${out.join('\n')}\n`;
}
