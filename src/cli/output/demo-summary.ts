import { type DemoResult, plantedHeaviest } from '../../demo/index.js';
import { capacityShort as capacityCell } from '../../load/index.js';
import { formatInt, formatLatency, formatPercent } from '../../report/format.js';
import type { Colors } from './colors.js';
import { renderTable } from './table.js';

/** What the load runs named from the database's side, before and after the fix. */
function namedByLoad(d: DemoResult, c: Colors): string[] {
  const out: string[] = [];
  const p = d.plantedByLoad;
  if (p?.statement) {
    out.push(
      `named    by the load run itself: ${p.kind} (${p.score}), ${p.statement.sharePct}% of statement time, mean ${p.statement.meanMs.toFixed(1)} ms: ${p.statement.query.replace(/\s+/g, ' ').slice(0, 120)}`,
    );
    for (const ix of p.statement.advice?.indexes ?? [])
      out.push(c.dim(`         index advised: ${ix.createSql.split('\n')[0]}`));
  } else {
    const first = d.before.result.bottlenecks[0];
    const heaviest = plantedHeaviest(d.before.result);
    out.push(
      heaviest
        ? `named    by the load run itself as its heaviest statement (${heaviest.sharePct}% of statement time, mean ${heaviest.meanMs.toFixed(1)} ms), not yet a bottleneck at this rate${first ? ` (it named ${first.kind})` : ''}: ${heaviest.query.replace(/\s+/g, ' ').slice(0, 120)}`
        : c.yellow(
            `named    the load run before the fix did not name the planted statement${first ? ` (it named ${first.kind})` : ''}`,
          ),
    );
  }
  const after = d.after.result.bottlenecks.filter((b) => b.kind !== 'generator');
  out.push(
    `after    the load run after the fix named ${after.length ? after.map((b) => b.kind).join(', ') : 'no bottleneck'}`,
  );
  return out;
}

/** p50 and p99 of the endpoint that runs the planted slow query, before and after. */
function planted(d: DemoResult): string[][] {
  const name = 'list products by category';
  const b = d.before.result.endpoints.find((e) => e.name === name);
  const a = d.after.result.endpoints.find((e) => e.name === name);
  if (!b || !a) return [];
  return [
    [`${name} p50`, formatLatency(b.latency.corrected.p50), formatLatency(a.latency.corrected.p50)],
    [`${name} p99`, formatLatency(b.latency.corrected.p99), formatLatency(a.latency.corrected.p99)],
  ];
}

/** The short terminal summary of `tenon demo`. */
export function renderDemoSummary(d: DemoResult, reportPath: string, c: Colors): string {
  const b = d.before.result;
  const a = d.after.result;
  const out: string[] = [];
  out.push(
    c.bold(
      `tenon demo · ${d.framework} · ${d.database.kind === 'pglite' ? 'PGlite' : d.database.url} · ${formatInt(d.seed.rows)} rows · ${Math.round(d.durationMs / 1000)}s`,
    ),
  );
  out.push(`  project  ${d.dir}`);
  out.push(
    `  auth     ${d.session.authenticated ? `Bearer token of ${d.session.email}` : c.yellow(`none: ${d.session.note}`)}`,
  );
  out.push('');
  out.push(
    renderTable(
      ['', 'before the fix', 'after the fix'],
      [
        ['p50', formatLatency(b.latency.corrected.p50), formatLatency(a.latency.corrected.p50)],
        ['p99', formatLatency(b.latency.corrected.p99), formatLatency(a.latency.corrected.p99)],
        ['max', formatLatency(b.latency.corrected.max), formatLatency(a.latency.corrected.max)],
        ...planted(d),
        ['throughput', `${b.throughput.rps.toFixed(1)} req/s`, `${a.throughput.rps.toFixed(1)} req/s`],
        ['errors', formatPercent(b.errors.rate), formatPercent(a.errors.rate)],
        [
          `capacity at p99 < ${d.p99Target} ms`,
          capacityCell(d.capacityBefore.result),
          capacityCell(d.capacityAfter.result),
        ],
      ],
      { alignRight: [1, 2] },
    ).trimEnd(),
  );
  out.push('');
  out.push(
    d.planted
      ? `found    ${d.planted.check}: ${d.planted.title}`
      : c.red(
          `found    the planted slow query was not reported by the analysis${d.analysis.capabilities.pgStatStatements.available ? '' : `: ${d.analysis.capabilities.pgStatStatements.reason ?? 'pg_stat_statements is not available'}`}`,
        ),
  );
  out.push(...namedByLoad(d, c));
  for (const m of d.fix.applied) out.push(`applied  ${m}`);
  const saturated = [d.before, d.after].filter((r) => r.result.generator.saturated);
  if (saturated.length > 0) {
    out.push(
      c.yellow(
        `note     the load generator could not keep its schedule in ${saturated.map((r) => r.label).join(', ')}: latency there includes its own delays (a busy machine)`,
      ),
    );
  }
  out.push('');
  out.push(`report   ${reportPath}`);
  return `${out.join('\n')}\n`;
}
