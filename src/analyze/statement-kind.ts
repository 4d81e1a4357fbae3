import { parseTree as parse } from '../core/sql/pg-wasm.js';

const WORKLOAD = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/**
 * Whether a statement is application work (SELECT, INSERT, UPDATE,
 * DELETE, MERGE) rather than DDL or maintenance, which slow-query leaves out.
 */
export async function isWorkloadStatement(sql: string): Promise<boolean> {
  try {
    const tree = (await parse(sql)) as { stmts?: { stmt?: Record<string, unknown> }[] };
    const kind = Object.keys(tree.stmts?.[0]?.stmt ?? {})[0];
    return tree.stmts?.length === 1 && kind !== undefined && WORKLOAD.has(kind);
  } catch {
    return false;
  }
}
