import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CHART_BOOT_SCRIPT, type ChartSpec } from './charts.js';
import { escapeHtml } from './html.js';

/** One section of a report: a heading and its (already escaped) HTML. */
export interface ReportSection {
  title: string;
  html: string;
  /** Optional anchor; derived from the title when missing. */
  id?: string;
}

/** A whole report page. */
export interface ReportPage {
  title: string;
  /** A line under the title (what ran, when). */
  subtitle?: string;
  /** A verdict badge next to the title. */
  status?: { label: string; tone: 'good' | 'bad' | 'warn' };
  sections: ReportSection[];
  /** Charts referenced by `chartFigure` blocks in the sections. */
  charts: ChartSpec[];
  /** Generator line in the footer, e.g. `tenon 0.1.0`. */
  generator: string;
  /** A link bar to the sections under the header. Default true. */
  nav?: boolean;
  /** Extra CSS of this kind of report. */
  style?: string;
}

const require = createRequire(import.meta.url);
let assets: { js: string; css: string } | undefined;

/** uPlot's browser build and stylesheet, read once from the installed npm package. */
function uplotAssets(): { js: string; css: string } {
  assets ??= {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return assets;
}

/** Text safe inside a <script> element. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1');
}

const STYLE = `
:root { --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --bg: #ffffff; --panel: #f9fafb;
  --good: #15803d; --bad: #b91c1c; --warn: #b45309; --info: #1d4ed8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 24px 32px 12px; border-bottom: 1px solid var(--line); }
header h1 { margin: 0; font-size: 22px; display: flex; gap: 12px; align-items: center; }
header .subtitle { color: var(--muted); margin-top: 4px; }
.badge { font-size: 12px; padding: 2px 10px; border-radius: 999px; color: #fff; }
.badge.good { background: var(--good); } .badge.bad { background: var(--bad); } .badge.warn { background: var(--warn); }
nav { padding: 8px 32px; border-bottom: 1px solid var(--line); font-size: 13px; }
nav a { margin-right: 16px; color: var(--info); text-decoration: none; }
main { padding: 8px 32px 32px; max-width: 1280px; }
section { margin-top: 24px; }
section h2 { font-size: 17px; margin: 0 0 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 12px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.card .value { font-size: 20px; font-weight: 600; }
.card.good .value { color: var(--good); } .card.bad .value { color: var(--bad); } .card.warn .value { color: var(--warn); }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 16px; }
figure.chart { margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
figure.chart figcaption small { font-weight: 400; color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); }
th { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
td.num, th.num { text-align: right; }
td.good { color: var(--good); font-weight: 600; } td.bad { color: var(--bad); font-weight: 600; } td.warn { color: var(--warn); } td.muted { color: var(--muted); }
code, pre { font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; }
pre { background: #f2f2f2; padding: 8px; overflow-x: auto; white-space: pre-wrap; margin: 6px 0; }
caption { text-align: left; color: var(--muted); padding: 4px 0; }
ul.notes { padding-left: 0; list-style: none; } ul.notes li { padding: 8px 12px; margin-bottom: 6px; border-left: 4px solid var(--info); background: var(--panel); }
ul.notes li.warn { border-color: var(--warn); } ul.notes li.bad { border-color: var(--bad); } ul.notes li.good { border-color: var(--good); }
.muted { color: var(--muted); }
code, pre { font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; }
pre { background: #f2f2f2; padding: 8px; overflow-x: auto; white-space: pre-wrap; margin: 6px 0; }
footer { padding: 16px 32px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); }
`;

function anchor(section: ReportSection): string {
  return (
    section.id ??
    section.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
  );
}

/**
 * Renders a self-contained HTML report: one file with uPlot, its styles,
 * the chart data and the page inlined. A Content-Security-Policy forbids
 * every network request, so the report opens offline and leaks nothing.
 */
export function renderReportPage(page: ReportPage): string {
  // A page without charts carries no script at all (and no uPlot).
  const withCharts = page.charts.length > 0;
  const { js, css } = withCharts ? uplotAssets() : { js: '', css: '' };
  const status = page.status
    ? ` <span class="badge ${page.status.tone}">${escapeHtml(page.status.label)}</span>`
    : '';
  const nav =
    page.nav === false
      ? ''
      : `<nav>${page.sections.map((s) => `<a href="#${escapeHtml(anchor(s))}">${escapeHtml(s.title)}</a>`).join('')}</nav>\n`;
  const sections = page.sections
    .map(
      (s) => `<section id="${escapeHtml(anchor(s))}"><h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`,
    )
    .join('\n');
  const scripts = withCharts
    ? `<script type="application/json" id="tenon-charts">${scriptSafe(JSON.stringify(page.charts))}</script>
<script>${scriptSafe(js)}</script>
<script>${scriptSafe(CHART_BOOT_SCRIPT)}</script>
`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(page.title)}</title>
${withCharts ? `<style>${css}</style>\n` : ''}<style>${STYLE}${page.style ?? ''}</style>
</head>
<body>
<header><h1>${escapeHtml(page.title)}${status}</h1>${page.subtitle ? `<div class="subtitle">${escapeHtml(page.subtitle)}</div>` : ''}</header>
${nav}<main>
${sections}
</main>
<footer>${escapeHtml(page.generator)} · self-contained report: no network requests</footer>
${scripts}</body>
</html>
`;
}
