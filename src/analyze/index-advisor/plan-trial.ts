import { indexesUsed, type PlanNode, planNodes } from '../plan.js';

/** How one plan with candidate indexes came out. */
export interface Trial {
  cost: number;
  used: boolean;
  /** The plan reads the index without visiting the table (Index Only Scan). */
  indexOnly: boolean;
}

/** The cost of a plan, and whether (and how) it uses the named indexes. */
export function trialOf(plan: PlanNode, names: string[]): Trial {
  const nodes = planNodes(plan).filter((n) => n['Index Name'] && names.includes(n['Index Name']));
  return {
    cost: plan['Total Cost'],
    used: nodes.length > 0,
    indexOnly: nodes.length > 0 && nodes.every((n) => n['Node Type'] === 'Index Only Scan'),
  };
}

/** Whether the plan uses any of the named indexes. */
export function usesAny(plan: PlanNode, names: string[]): boolean {
  const used = indexesUsed(plan);
  return names.some((n) => used.includes(n));
}
