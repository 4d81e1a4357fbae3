import { describe, expect, it } from 'vitest';
import {
  estimatedRows,
  estimateImproved,
  isMisestimate,
  scannedRelations,
} from '../../../src/analyze/index-advisor/stale-statistics.js';
import type { PlanNode } from '../../../src/analyze/plan.js';

function node(type: string, rows: number, extra: Partial<PlanNode> = {}): PlanNode {
  return { 'Node Type': type, 'Startup Cost': 0, 'Total Cost': 1, 'Plan Rows': rows, ...extra };
}

describe('stale statistics rules', () => {
  it('reads the estimate where it compares with rows per call: not under aggregates or limits', () => {
    expect(estimatedRows(node('Gather', 1_000_000, { Plans: [node('Seq Scan', 416_000)] }))).toBe(1_000_000);
    expect(estimatedRows(node('ModifyTable', 0, { Plans: [node('Index Scan', 1)] }))).toBe(1);
    expect(estimatedRows(node('Aggregate', 1))).toBeUndefined();
    expect(estimatedRows(node('Limit', 10))).toBeUndefined();
  });

  it('calls an estimate stale at 10× and 1000 rows off, and improved when ANALYZE brings it 10× closer', () => {
    expect(isMisestimate(1_000_000, 0.4)).toBe(true); // pgbench abalance after init
    expect(isMisestimate(30, 1)).toBe(false); // far in ratio, nothing in rows
    expect(isMisestimate(20_000, 5000)).toBe(false);
    expect(isMisestimate(1, 5000)).toBe(true); // an underestimate counts too
    expect(estimateImproved(1_000_000, 5000, 0.4)).toBe(true);
    expect(estimateImproved(1_000_000, 400_000, 0.4)).toBe(false);
  });

  it('names the relations a plan scans', () => {
    const plan = node('Hash Join', 5, {
      Plans: [
        node('Seq Scan', 5, { 'Relation Name': 'rental' }),
        node('Index Scan', 1, { 'Relation Name': 'film' }),
      ],
    });
    expect(scannedRelations(plan)).toEqual(['rental', 'film']);
  });
});
