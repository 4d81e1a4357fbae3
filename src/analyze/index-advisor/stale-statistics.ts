import { type PlanNode, planNodes } from '../plan.js';

/** Plan tops whose row count says nothing about how many rows the filters match. */
const NOT_COMPARABLE = new Set([
  'Aggregate',
  'Limit',
  'Group',
  'WindowAgg',
  'Unique',
  'SetOp',
  'Result',
  'ProjectSet',
]);

/** A misestimate worth reporting is at least this many times off… */
export const MISESTIMATE_FACTOR = 10;
/** …and by at least this many rows (a 1-row vs 30-row estimate costs nothing). */
export const MISESTIMATE_MIN_ROWS = 1000;

/**
 * The rows a generic plan expects a statement to return (for UPDATE and
 * DELETE, to change), comparable with pg_stat_statements' rows per call;
 * undefined when the plan's top aggregates or limits the rows.
 */
export function estimatedRows(plan: PlanNode): number | undefined {
  let node: PlanNode | undefined = plan;
  if (node['Node Type'] === 'ModifyTable') node = node.Plans?.[0];
  if (!node || NOT_COMPARABLE.has(node['Node Type'])) return undefined;
  return node['Plan Rows'];
}

/** Whether an estimate is off from the measured rows per call by MISESTIMATE_FACTOR and MISESTIMATE_MIN_ROWS. */
export function isMisestimate(estimated: number, measured: number): boolean {
  const hi = Math.max(estimated, measured);
  const lo = Math.max(Math.min(estimated, measured), 1);
  return hi / lo >= MISESTIMATE_FACTOR && hi - lo >= MISESTIMATE_MIN_ROWS;
}

/** Whether a new estimate is at least MISESTIMATE_FACTOR times closer to the measured rows than the old one. */
export function estimateImproved(before: number, after: number, measured: number): boolean {
  const distance = (x: number) => Math.abs(Math.log10(Math.max(x, 1)) - Math.log10(Math.max(measured, 1)));
  return distance(before) - distance(after) >= Math.log10(MISESTIMATE_FACTOR);
}

/** Names of the relations a plan scans (as the plan shows them, without schema). */
export function scannedRelations(plan: PlanNode): string[] {
  return [...new Set(planNodes(plan).flatMap((n) => (n['Relation Name'] ? [n['Relation Name']] : [])))];
}
