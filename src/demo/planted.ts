import type { Finding } from '../analyze/index.js';
import type { RunStatement } from '../core/signals/server-signals.js';
import type { Bottleneck, LoadResult } from '../load/index.js';

/** The `database` bottleneck of a run when it names the planted statement (products by category). */
export function plantedBottleneck(result: LoadResult): Bottleneck | null {
  const b = result.bottlenecks.find((x) => x.kind === 'database' && x.statement);
  const q = b?.statement?.query.toLowerCase() ?? '';
  return b && q.includes('products') && q.includes('category') ? b : null;
}

/** The run's heaviest statement (pg_stat_statements deltas) when it is the planted one, whether or not a bottleneck was named. */
export function plantedHeaviest(result: LoadResult): RunStatement | null {
  const top = result.signals?.db?.statements?.top[0];
  const q = top?.query.toLowerCase() ?? '';
  return top && q.includes('products') && q.includes('category') ? top : null;
}

/** Whether a finding is about the planted slow query. */
export function isPlantedFinding(f: Finding): boolean {
  const text = `${f.title} ${f.fix?.up ?? ''}`.toLowerCase();
  return text.includes('products') && text.includes('category');
}
