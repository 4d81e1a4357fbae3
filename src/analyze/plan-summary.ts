import { type ExplainOutput, indexesUsed, type PlanNode, planNodes } from './plan.js';

/** Something in a plan worth acting on, with what to do. */
export interface PlanIssue {
  kind: 'seq-scan' | 'misestimate' | 'disk-sort' | 'disk-hash' | 'nested-loop';
  /** The node, e.g. `Seq Scan on events`. */
  node: string;
  detail: string;
  advice: string;
}

/** The node that took the most time (ANALYZE) or cost (estimate) by itself. */
export interface SlowestNode {
  node: string;
  /** Time spent in the node itself, children excluded (ANALYZE only). */
  selfMs?: number;
  /** Estimated cost of the node itself, children excluded. */
  selfCost: number;
  /** Its share of the whole (time with ANALYZE, cost otherwise). */
  share: number;
}

/** A plan reduced to what a person needs to read. */
export interface PlanSummary {
  rootNode: string;
  totalCost: number;
  planRows: number;
  planningMs?: number;
  executionMs?: number;
  nodeCount: number;
  slowest: SlowestNode;
  indexesUsed: string[];
  issues: PlanIssue[];
}

/** Thresholds of {@link summarizePlan}. */
export interface PlanSummaryOptions {
  /** A sequential scan reading at least this many rows is reported. */
  largeTableRows: number;
  /** Row counts per table (`name` → rows), to judge sequential scans from estimates. */
  tableRows?: ReadonlyMap<string, number>;
  /** A nested loop whose inner side runs at least this many times is reported. */
  nestedLoopRows?: number;
}

/** `Index Scan using orders_pkey on orders`. */
export function describeNode(node: PlanNode): string {
  const on = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  const using = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  return `${node['Node Type']}${using}${on}`;
}

/**
 * Wall-clock time of each node (children included), in ms. `Actual Total
 * Time` is an average per loop, so time × loops is the node's time summed
 * over its runs; under a Gather, the leader and the workers run the node at
 * the same time, so that sum is divided by the processes that ran it
 * (workers launched + the leader) — otherwise a parallel scan would take
 * 300% of the statement.
 */
function wallTimes(root: PlanNode): Map<PlanNode, number> {
  const out = new Map<PlanNode, number>();
  const visit = (node: PlanNode, processes: number) => {
    out.set(node, ((node['Actual Total Time'] ?? 0) * (node['Actual Loops'] ?? 1)) / processes);
    const gather = node['Node Type'] === 'Gather' || node['Node Type'] === 'Gather Merge';
    const launched = typeof node['Workers Launched'] === 'number' ? node['Workers Launched'] : undefined;
    const below = gather ? (launched ?? Number(node['Workers Planned'] ?? 0)) + 1 : processes;
    for (const child of node.Plans ?? []) visit(child, below);
  };
  visit(root, 1);
  return out;
}

/**
 * Exclusive time of each node: its wall-clock time minus its children's
 * (init plans and subplans included: their time is inside the node that runs them).
 */
export function exclusiveTimes(root: PlanNode): Map<PlanNode, number> {
  const wall = wallTimes(root);
  const out = new Map<PlanNode, number>();
  for (const [node, time] of wall) {
    const children = (node.Plans ?? []).reduce((sum, c) => sum + (wall.get(c) ?? 0), 0);
    out.set(node, Math.max(0, time - children));
  }
  return out;
}

function selfCost(node: PlanNode): number {
  const children = (node.Plans ?? []).reduce((sum, c) => sum + c['Total Cost'], 0);
  return Math.max(0, node['Total Cost'] - children);
}

/**
 * Summarizes an `EXPLAIN (FORMAT JSON)` plan, with or without ANALYZE: the
 * slowest node, sequential scans over many rows, estimates off by more than
 * 10×, sorts and hashes that spilled to disk, and nested loops whose inner
 * side runs many times, each with what to do about it.
 */
export function summarizePlan(output: ExplainOutput, options: PlanSummaryOptions): PlanSummary {
  const root = output.Plan;
  const nodes = planNodes(root);
  const analyzed = root['Actual Total Time'] !== undefined;
  const issues: PlanIssue[] = [];
  const loopLimit = options.nestedLoopRows ?? 1000;

  const exclusive = analyzed ? exclusiveTimes(root) : new Map<PlanNode, number>();
  const selfTime = (node: PlanNode) => exclusive.get(node) ?? 0;
  let slowest = root;
  for (const node of nodes) {
    if (analyzed ? selfTime(node) > selfTime(slowest) : selfCost(node) > selfCost(slowest)) slowest = node;
  }
  // The shares of all nodes add up to 100%: the whole is the sum of the exclusive times, or of
  // the self costs. Not the root's cost: under a LIMIT a child's cost is for all its rows, more
  // than the root's, and its share of the root would pass 100 %.
  const wholeTime = analyzed ? [...exclusive.values()].reduce((a, b) => a + b, 0) : 0;
  const wholeCost = analyzed ? 0 : nodes.reduce((sum, n) => sum + selfCost(n), 0);
  const slowestInfo: SlowestNode = {
    node: describeNode(slowest),
    selfCost: round(selfCost(slowest)),
    share: round(
      analyzed
        ? selfTime(slowest) / Math.max(wholeTime, 1e-9)
        : selfCost(slowest) / Math.max(wholeCost, 1e-9),
    ),
    ...(analyzed ? { selfMs: round(selfTime(slowest)) } : {}),
  };

  for (const node of nodes) {
    const name = describeNode(node);
    const loops = node['Actual Loops'] ?? 1;
    if (node['Node Type'] === 'Seq Scan' && node['Relation Name']) {
      const read = analyzed
        ? ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * loops
        : (options.tableRows?.get(node['Relation Name']) ?? node['Plan Rows']);
      if (read >= options.largeTableRows) {
        issues.push({
          kind: 'seq-scan',
          node: name,
          detail: `reads ${Math.round(read)} rows${node.Filter ? ` to keep those matching ${node.Filter}` : ''}`,
          advice: !node.Filter
            ? 'The whole table is read: add a WHERE clause or LIMIT, or accept it for reports.'
            : /~~\*?/.test(node.Filter)
              ? 'A LIKE/ILIKE pattern that starts with % cannot use a btree index: use a trigram index (CREATE EXTENSION pg_trgm; CREATE INDEX … USING gin (column gin_trgm_ops)) or full-text search.'
              : 'Index the filtered columns (tenon db suggest-indexes prices the candidates).',
        });
      }
    }
    if (analyzed && node['Actual Rows'] !== undefined) {
      const actual = node['Actual Rows'];
      const planned = node['Plan Rows'];
      const ratio = Math.max(actual, planned) / Math.max(Math.min(actual, planned), 1);
      if (ratio > 10 && Math.max(actual, planned) >= 100) {
        issues.push({
          kind: 'misestimate',
          node: name,
          detail: `estimated ${planned} rows, got ${actual} (${Math.round(ratio)}× off)`,
          advice: `Run ANALYZE${node['Relation Name'] ? ` ${node['Relation Name']}` : ''}; if it stays off, raise the statistics target of the filtered columns (ALTER TABLE … ALTER COLUMN … SET STATISTICS 1000) or add CREATE STATISTICS for correlated columns.`,
        });
      }
    }
    if (node['Sort Space Type'] === 'Disk') {
      issues.push({
        kind: 'disk-sort',
        node: name,
        detail: `sorted on disk (${node['Sort Space Used'] ?? '?'} kB, ${node['Sort Method'] ?? ''})`,
        advice:
          'Raise work_mem for this query (SET LOCAL work_mem), or add an index matching the ORDER BY so no sort is needed.',
      });
    }
    if (node['Node Type'] === 'Hash' && (node['Hash Batches'] ?? 1) > 1) {
      issues.push({
        kind: 'disk-hash',
        node: name,
        detail: `hash table split into ${node['Hash Batches']} batches on disk`,
        advice:
          'Raise work_mem (or hash_mem_multiplier) for this query, or filter the hashed side down first.',
      });
    }
    if (node['Node Type'] === 'Nested Loop' && node.Plans?.length === 2) {
      const inner = node.Plans[1]!;
      const runs = analyzed ? (inner['Actual Loops'] ?? 0) : node.Plans[0]!['Plan Rows'];
      if (runs >= loopLimit) {
        issues.push({
          kind: 'nested-loop',
          node: name,
          detail: `its inner side (${describeNode(inner)}) runs ${Math.round(runs)} times`,
          advice: inner['Node Type'].includes('Index')
            ? 'Each run is an index lookup; if the outer side really has this many rows, a hash join may be cheaper: check the estimates (ANALYZE).'
            : 'Index the join column of the inner table, or ANALYZE so the planner can choose a hash join.',
        });
      }
    }
  }
  return {
    rootNode: describeNode(root),
    totalCost: round(root['Total Cost']),
    planRows: root['Plan Rows'],
    ...(output['Planning Time'] !== undefined ? { planningMs: round(output['Planning Time']) } : {}),
    ...(output['Execution Time'] !== undefined ? { executionMs: round(output['Execution Time']) } : {}),
    nodeCount: nodes.length,
    slowest: slowestInfo,
    indexesUsed: indexesUsed(root),
    issues,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
