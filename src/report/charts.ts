import { escapeHtml } from './html.js';

/** One line (or bar set) of a chart. */
export interface ChartSeries {
  label: string;
  /** One value per x; null leaves a gap. */
  values: (number | null)[];
  color?: string;
  dash?: boolean;
  /** Draw as bars instead of a line. */
  bars?: boolean;
  /** Plot against a second y-axis on the right. */
  rightAxis?: boolean;
  /** Mark each value with a dot (sparse series: a few rates tried). */
  points?: boolean;
  /** Join the values across nulls (a series defined at some x only). */
  spanGaps?: boolean;
}

/**
 * A chart, described as data: the report page draws it with uPlot in the
 * browser. `xFormat` says how x values read: seconds, plain numbers,
 * `percentile` (x is the number of nines, -log10(1 - p)), or `labels`
 * (x is an index into `xLabels`).
 */
export interface ChartSpec {
  id: string;
  title: string;
  x: number[];
  xLabel: string;
  yLabel: string;
  yRightLabel?: string;
  series: ChartSeries[];
  xFormat?: 'seconds' | 'number' | 'percentile' | 'labels';
  xLabels?: string[];
  /** Logarithmic y-axis. */
  yLog?: boolean;
  height?: number;
  /** A remark under the title (e.g. that the last point covers less than a second). */
  note?: string;
}

/** The figure element a chart is drawn into. */
export function chartFigure(spec: ChartSpec): string {
  const note = spec.note ? `<br><small>${escapeHtml(spec.note)}</small>` : '';
  return `<figure class="chart"><figcaption>${escapeHtml(spec.title)}${note}</figcaption><div class="plot" id="chart-${escapeHtml(spec.id)}" data-chart="${escapeHtml(spec.id)}"></div></figure>`;
}

/** Palette for series without a color: readable on white, distinct in print. */
export const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#4b5563',
];

/**
 * The browser side: reads the chart specs embedded in the page and draws
 * each with uPlot. Kept small and dependency-free besides uPlot.
 */
export const CHART_BOOT_SCRIPT = `
(function () {
  var specs = JSON.parse(document.getElementById('tenon-charts').textContent);
  var palette = ${JSON.stringify(PALETTE)};
  function fmtX(spec) {
    if (spec.xFormat === 'percentile') return function (u, vals) { return vals.map(function (v) { var p = 100 - 100 * Math.pow(10, -v); return (Math.round(p * 1000) / 1000) + '%'; }); };
    if (spec.xFormat === 'labels') return function (u, vals) { return vals.map(function (v) { return Number.isInteger(v) && spec.xLabels[v] !== undefined ? spec.xLabels[v] : ''; }); };
    if (spec.xFormat === 'seconds') return function (u, vals) { return vals.map(function (v) { return v + 's'; }); };
    return undefined;
  }
  specs.forEach(function (spec) {
    var el = document.getElementById('chart-' + spec.id);
    if (!el) return;
    var width = Math.max(320, el.clientWidth || 800);
    var bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.8, 60] }) : undefined;
    var series = [{ label: spec.xLabel }].concat(spec.series.map(function (s, i) {
      var color = s.color || palette[i % palette.length];
      return {
        label: s.label,
        stroke: color,
        width: s.bars ? 0 : 2,
        fill: s.bars ? color + 'cc' : undefined,
        dash: s.dash ? [6, 4] : undefined,
        paths: s.bars ? bars : undefined,
        points: { show: !!s.points, size: 7 },
        scale: s.rightAxis ? 'y2' : 'y',
        spanGaps: !!s.spanGaps,
      };
    }));
    var splits = spec.xFormat === 'percentile' ? function (u, i, min, max) { var out = []; for (var v = Math.ceil(min); v <= max; v++) out.push(v); return out; } : undefined;
    var axes = [
      { label: spec.xLabel, values: fmtX(spec), splits: splits },
      { label: spec.yLabel, scale: 'y', size: 60 },
    ];
    var scales = { x: { time: false }, y: spec.yLog ? { distr: 3 } : { range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.05 : 1]; } } };
    if (spec.yRightLabel) { axes.push({ label: spec.yRightLabel, scale: 'y2', side: 1, grid: { show: false }, size: 60 }); scales.y2 = {}; }
    var data = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
    var plot = new uPlot({ width: width, height: spec.height || 280, series: series, axes: axes, scales: scales, legend: { live: true } }, data, el);
    el.setAttribute('data-rendered', String(spec.x.length));
    window.addEventListener('resize', function () { plot.setSize({ width: Math.max(320, el.clientWidth), height: spec.height || 280 }); });
  });
  document.body.setAttribute('data-charts-ready', String(specs.length));
})();
`;
