import { describe, expect, it } from 'vitest';
import type { PlanNode } from '../../src/analyze/plan.js';
import { summarizePlan } from '../../src/analyze/plan-summary.js';

function node(type: string, fields: Partial<PlanNode> = {}, children: PlanNode[] = []): PlanNode {
  return {
    'Node Type': type,
    'Startup Cost': 0,
    'Total Cost': 10,
    'Plan Rows': 1,
    ...fields,
    Plans: children,
  };
}

describe('summarizePlan', () => {
  it('names the node with the most time of its own, not the root', () => {
    const plan = node(
      'Hash Join',
      { 'Actual Total Time': 100, 'Actual Loops': 1, 'Actual Rows': 10, 'Plan Rows': 10 },
      [
        node('Seq Scan', {
          'Relation Name': 'a',
          'Actual Total Time': 80,
          'Actual Loops': 1,
          'Actual Rows': 5,
          'Plan Rows': 5,
        }),
        node(
          'Hash',
          { 'Actual Total Time': 5, 'Actual Loops': 1, 'Actual Rows': 5, 'Plan Rows': 5, 'Hash Batches': 4 },
          [
            node('Seq Scan', {
              'Relation Name': 'b',
              'Actual Total Time': 4,
              'Actual Loops': 1,
              'Actual Rows': 5,
              'Plan Rows': 5,
            }),
          ],
        ),
      ],
    );
    const summary = summarizePlan({ Plan: plan, 'Execution Time': 101 }, { largeTableRows: 1000 });
    expect(summary.slowest).toMatchObject({ node: 'Seq Scan on a', selfMs: 80, share: 0.8 });
    expect(summary.issues.map((i) => i.kind)).toEqual(['disk-hash']);
    expect(summary.executionMs).toBe(101);
  });

  it('uses estimated costs and table sizes when the statement did not run', () => {
    const plan = node('Nested Loop', { 'Total Cost': 500 }, [
      node('Seq Scan', {
        'Relation Name': 'orders',
        'Total Cost': 400,
        'Plan Rows': 5000,
        Filter: '(status = $1)',
      }),
      node('Seq Scan', { 'Relation Name': 'tiny', 'Total Cost': 1 }),
    ]);
    const summary = summarizePlan(
      { Plan: plan },
      { largeTableRows: 10_000, tableRows: new Map([['orders', 200_000]]) },
    );
    expect(summary.slowest).toMatchObject({ node: 'Seq Scan on orders', selfCost: 400, share: 0.8 });
    expect(summary.issues.map((i) => `${i.kind}:${i.node}`)).toEqual([
      'nested-loop:Nested Loop',
      'seq-scan:Seq Scan on orders',
    ]);
    expect(summary.issues[0]!.advice).toMatch(/Index the join column/);
  });

  it('suggests a trigram index for LIKE filters, which a btree cannot serve', () => {
    const plan = node('Seq Scan', { 'Relation Name': 'notes', 'Plan Rows': 50_000, Filter: '(body ~~ $1)' });
    const [issue] = summarizePlan({ Plan: plan }, { largeTableRows: 10_000 }).issues;
    expect(issue?.advice).toMatch(/pg_trgm/);
  });
});
