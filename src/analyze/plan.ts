/** A node of an `EXPLAIN (FORMAT JSON)` plan, with the fields tenon reads. */
export interface PlanNode {
  'Node Type': string;
  'Startup Cost': number;
  'Total Cost': number;
  'Plan Rows': number;
  'Plan Width'?: number;
  'Relation Name'?: string;
  Schema?: string;
  Alias?: string;
  'Index Name'?: string;
  Filter?: string;
  'Index Cond'?: string;
  'Join Type'?: string;
  'Sort Key'?: string[];
  'Sort Method'?: string;
  'Sort Space Used'?: number;
  'Sort Space Type'?: string;
  'Hash Batches'?: number;
  'Original Hash Batches'?: number;
  'Peak Memory Usage'?: number;
  'Actual Startup Time'?: number;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Temp Read Blocks'?: number;
  'Temp Written Blocks'?: number;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/** The top of an `EXPLAIN (FORMAT JSON)` result. */
export interface ExplainOutput {
  Plan: PlanNode;
  'Planning Time'?: number;
  'Execution Time'?: number;
}

/** Every node of a plan, depth first. */
export function planNodes(root: PlanNode): PlanNode[] {
  const out: PlanNode[] = [];
  const visit = (node: PlanNode) => {
    out.push(node);
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(root);
  return out;
}

/** Names of the indexes a plan uses. */
export function indexesUsed(root: PlanNode): string[] {
  return [...new Set(planNodes(root).flatMap((n) => (n['Index Name'] ? [n['Index Name']] : [])))];
}

/** Reads the JSON plan from an EXPLAIN row, whichever form the driver returned. */
export function explainOutputOf(rows: Record<string, unknown>[]): ExplainOutput {
  const value = rows[0]?.['QUERY PLAN'];
  const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as ExplainOutput[];
  return parsed[0]!;
}
