import { describe, expect, it } from 'vitest';
import type { PlanNode } from '../../src/analyze/plan.js';
import { exclusiveTimes, summarizePlan } from '../../src/analyze/plan-summary.js';

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

  it('keeps a share of the estimated cost within 100 % under a LIMIT (the child is priced for all its rows)', () => {
    const plan = node('Limit', { 'Total Cost': 8 }, [
      node('Seq Scan', { 'Relation Name': 'products', 'Total Cost': 800, 'Plan Rows': 60_000 }),
    ]);
    const summary = summarizePlan({ Plan: plan }, { largeTableRows: 10_000 });
    expect(summary.slowest).toMatchObject({ node: 'Seq Scan on products', selfCost: 800, share: 1 });
  });

  it('suggests a trigram index for LIKE filters, which a btree cannot serve', () => {
    const plan = node('Seq Scan', { 'Relation Name': 'notes', 'Plan Rows': 50_000, Filter: '(body ~~ $1)' });
    const [issue] = summarizePlan({ Plan: plan }, { largeTableRows: 10_000 }).issues;
    expect(issue?.advice).toMatch(/pg_trgm/);
  });

  it('shares are exclusive wall-clock time: a parallel scan is not counted once per process', () => {
    // EXPLAIN ANALYZE of a parallel count(*) on PostgreSQL 15: the scan ran in the leader and two workers.
    const scan = node('Seq Scan', {
      'Relation Name': 'big',
      'Parallel Aware': true,
      'Actual Total Time': 240,
      'Actual Loops': 3,
      'Actual Rows': 100_000,
      'Plan Rows': 100_000,
    });
    const partial = node(
      'Aggregate',
      { 'Actual Total Time': 265, 'Actual Loops': 3, 'Actual Rows': 1, 'Plan Rows': 1 },
      [scan],
    );
    const gather = node(
      'Gather',
      {
        'Workers Planned': 2,
        'Workers Launched': 2,
        'Actual Total Time': 268,
        'Actual Loops': 1,
        'Actual Rows': 3,
        'Plan Rows': 3,
      },
      [partial],
    );
    const root = node(
      'Aggregate',
      { 'Actual Total Time': 270, 'Actual Loops': 1, 'Actual Rows': 1, 'Plan Rows': 1 },
      [gather],
    );
    const times = exclusiveTimes(root);
    expect([root, gather, partial, scan].map((n) => times.get(n))).toEqual([2, 3, 25, 240]);
    const summary = summarizePlan({ Plan: root }, { largeTableRows: 1e9 });
    expect(summary.slowest).toMatchObject({ node: 'Seq Scan on big', selfMs: 240 });
    expect(summary.slowest.share).toBeCloseTo(240 / 270, 2);
  });

  it('a node run in a loop counts every run; its children are subtracted, subplans included', () => {
    const inner = node('Index Scan', {
      'Relation Name': 'b',
      'Actual Total Time': 0.01,
      'Actual Loops': 1000,
      'Actual Rows': 1,
      'Plan Rows': 1,
    });
    const sub = node('Seq Scan', {
      'Relation Name': 'c',
      'Parent Relationship': 'SubPlan',
      'Actual Total Time': 0.002,
      'Actual Loops': 1000,
      'Actual Rows': 1,
      'Plan Rows': 1,
    });
    const outer = node('Seq Scan', {
      'Relation Name': 'a',
      'Actual Total Time': 2,
      'Actual Loops': 1,
      'Actual Rows': 1000,
      'Plan Rows': 1000,
    });
    const loop = node(
      'Nested Loop',
      { 'Actual Total Time': 20, 'Actual Loops': 1, 'Actual Rows': 1000, 'Plan Rows': 1000 },
      [outer, inner, sub],
    );
    const times = exclusiveTimes(loop);
    expect(times.get(inner)).toBeCloseTo(10, 6);
    expect(times.get(loop)).toBeCloseTo(20 - 2 - 10 - 2, 6);
    const total = [...times.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(20, 6);
  });
});
