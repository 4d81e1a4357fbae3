import type { ConformanceRow, StepResult } from './run-conformance.js';

function mark(step: StepResult): string {
  if (step.status === 'not run') return '–';
  return `${step.status === 'passed' ? 'pass' : 'FAIL'} ${(step.ms / 1000).toFixed(0)}s`;
}

/** The oracle cell: violations / refused requests / 501s per database, or why it did not run. */
export function oracleCell(row: ConformanceRow): string {
  const cells = Object.entries(row.oracle).map(([db, result]) => {
    // The first line says why (the rest, the server's output, is in --json).
    if ('error' in result) return `${db}: error: ${result.error.split('\n')[0]!.slice(0, 120)}`;
    const served = result.servedSpecDiff.length ? ', spec differs' : '';
    // Requests prism answered itself are shown, not hidden: the app was never asked.
    const byPrism = result.prismRefused ? `, ${result.prismRefused} prism refused (not the app)` : '';
    return `${db}: ${result.violations} viol., ${result.refused} refused${byPrism}, ${result.notImplemented}×501${served}`;
  });
  return cells.length ? cells.join('; ') : '–';
}

/** The generated cell: operations served as CRUD / custom / not generated. */
export function generatedCell(row: ConformanceRow): string {
  const g = row.generated;
  if (!g.ok) return `no: ${g.error?.split(':')[0] ?? 'failed'}`;
  const hooks = g.webhooks ? ` +${g.webhooks} webhooks` : '';
  return `${g.crud} CRUD / ${g.custom} custom / ${g.notGenerated} not${hooks}`;
}

/** Whether a row fell short: a step failed, the oracle could not run, or it found violations or refusals. */
export function rowFailed(row: ConformanceRow): boolean {
  if (!row.generated.ok) return true;
  if ([row.install, row.lint, row.tests, row.build].some((step) => step.status === 'failed')) return true;
  return Object.values(row.oracle).some(
    (result) => result !== undefined && ('error' in result || result.violations > 0 || result.refused > 0),
  );
}

/** A Markdown table of the rows: spec × framework → generated, lint, tests, build, oracle. */
export function conformanceTable(rows: ConformanceRow[]): string {
  const header = ['spec', 'framework', 'generated (ops)', 'lint', 'tests', 'build', 'oracle'];
  const lines = rows.map((r) => [
    r.spec,
    r.framework,
    generatedCell(r),
    mark(r.lint),
    mark(r.tests),
    mark(r.build),
    oracleCell(r),
  ]);
  const render = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [render(header), render(header.map(() => '---')), ...lines.map(render)].join('\n');
}
