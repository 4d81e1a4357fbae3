import { slowStep } from '../lint/slow-step.js';
import type { PlannedStatement } from '../plan.js';

/** Work of a statement whose running time grows with the tables it reads or writes. */
export interface GrowingWork {
  /** What grows, as the lint names it: `an index build`, `an UPDATE`, `a VALIDATE CONSTRAINT`, … */
  what: string;
  /** The tables the statement names, `schema.name`, or `name` when the SQL leaves the schema to search_path. */
  tables: string[];
}

function collectTables(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectTables(item, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  // A RangeVar is wrapped in lists and bare in typed fields (IndexStmt.relation, AlterTableStmt.relation).
  const wrapped = (node as { RangeVar?: { relname?: unknown; schemaname?: unknown } }).RangeVar;
  const bare = node as { relname?: unknown; schemaname?: unknown; inh?: unknown };
  const rangeVar = wrapped ?? (typeof bare.relname === 'string' && 'inh' in bare ? bare : undefined);
  if (rangeVar && typeof rangeVar.relname === 'string')
    out.add(
      typeof rangeVar.schemaname === 'string'
        ? `${rangeVar.schemaname}.${rangeVar.relname}`
        : rangeVar.relname,
    );
  for (const inner of Object.values(node)) collectTables(inner, out);
}

/**
 * The part of a statement that takes longer the more rows its tables hold
 * (a backfill, an index build, a validation, a type change), with the tables
 * it names. The trace's shadow tables are empty or small, so their timing
 * says nothing about this part: the live table's size does. Undefined when
 * the statement's time does not grow with the data, or tenon cannot tell
 * (a `DO` block).
 */
export function growingWork(statement: Pick<PlannedStatement, 'kind' | 'node'>): GrowingWork | undefined {
  const stmt = (statement.node[statement.kind] ?? {}) as Record<string, unknown>;
  const step = slowStep({ kind: statement.kind, stmt });
  if (!step?.sure) return undefined;
  const tables = new Set<string>();
  collectTables(stmt, tables);
  return tables.size > 0 ? { what: step.what, tables: [...tables] } : undefined;
}
