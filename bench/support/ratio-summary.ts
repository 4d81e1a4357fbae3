/** What one target of bench/generated-app.ts measured, as far as the run got (absent: not run). */
export interface SummaryTarget {
  /** Closed model (wrk), GET by id: requests per second. */
  byIdRps?: number;
  /** Closed model, GET by id: the server's CPU per request, µs. */
  byIdCpuUs?: number;
  /** Closed model, the list at 20 a page: requests per second. */
  listRps?: number;
  /** Open model at 1,000 req/s: p99 from the scheduled send, ms. */
  openP99?: number;
  openErrors?: number;
  /** tenon load said its own schedule slipped: the p99 includes the generator's delays. */
  openLate?: boolean;
}

const BARE = ['bare fastify', 'bare fastify (again)'];
const APPS = ['generated fastify', 'generated express'];

function mean(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined && v > 0);
  return known.length === 0 ? undefined : known.reduce((a, b) => a + b, 0) / known.length;
}

const fixed = (v: number | undefined) => (v === undefined ? 'not run' : v.toFixed(2));

/**
 * The few lines the lead reads after a run of bench/generated-app.ts: GET by id
 * against the bare handler (by req/s and by server CPU per request, against the
 * mean of the two bare runs), the list against GET by id, and the open model's
 * p99 — each with its goal, and "not run" where the run's part skipped it.
 */
export function ratioSummary(targets: Record<string, SummaryTarget>): string[] {
  const bareRps = mean(BARE.map((n) => targets[n]?.byIdRps));
  const bareCpu = mean(BARE.map((n) => targets[n]?.byIdCpuUs));
  const byId = APPS.map((name) => {
    const t = targets[name];
    const rps = t?.byIdRps && bareRps ? t.byIdRps / bareRps : undefined;
    const cpu = t?.byIdCpuUs && bareCpu ? bareCpu / t.byIdCpuUs : undefined;
    return `${name} ${fixed(rps)} (CPU ${fixed(cpu)})`;
  });
  const list = [...APPS, BARE[0]!].map((name) => {
    const t = targets[name];
    return `${name} ${fixed(t?.listRps && t.byIdRps ? t.listRps / t.byIdRps : undefined)}`;
  });
  const open = [...APPS, ...BARE].map((name) => {
    const t = targets[name];
    if (t?.openP99 === undefined) return `${name} not run`;
    return `${name} ${t.openP99.toFixed(1)} ms${t.openErrors ? `, ${t.openErrors} errors` : ''}${t.openLate ? ' (generator late)' : ''}`;
  });
  return [
    '\nsummary',
    `  GET by id × bare, by req/s (by server CPU per request): ${byId.join(', ')} — goal ≥ 0.75 for generated fastify`,
    `  list ÷ GET by id: ${list.join(', ')} — goal ≥ 0.3`,
    `  open model p99 at 1,000 req/s: ${open.join(', ')} — goal < 50 ms`,
  ];
}
