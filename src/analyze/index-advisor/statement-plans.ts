import type { Database } from '../../core/db/index.js';
import { quoteIdent, quoteQualified } from '../../core/sql/quote.js';
import type { ColumnInfo } from '../catalog/foreign-keys.js';
import type { QueryStat } from '../catalog/query-stats.js';
import type { TableInfo } from '../catalog/tables.js';
import { countPlaceholders } from '../explain.js';
import { explainGenericPlan } from '../generic-plan.js';
import type { PlanNode } from '../plan.js';
import type { QueryShape } from '../query-shape.js';
import { shortSql } from '../sql-text.js';
import type { MisestimatedQuery, StaleStatistics } from './advice.js';
import { inferParamTypes, unknownAsText } from './param-types.js';
import { estimatedRows, estimateImproved, isMisestimate, scannedRelations } from './stale-statistics.js';

/** A statement with its generic plan and the parameter types that made it plannable. */
export interface PlannedStatement {
  stat: QueryStat;
  shape: QueryShape;
  /** The text EXPLAINed: the statement, with a parameterized LIMIT made the measured rows per call. */
  sql: string;
  /** Types given to PREPARE, when PostgreSQL could not infer them alone. */
  paramTypes?: string[];
  plan: PlanNode;
  cost: number;
}

/** A generic plan, or why there is none. */
export type PlanAttempt = { ok: true; plan: PlanNode; paramTypes?: string[] } | { ok: false; reason: string };

/**
 * The generic plan of a statement. When PostgreSQL cannot infer a
 * parameter's type (`where aid = $1 + $2`: "operator is not unique:
 * unknown + unknown"), it tries again with the types of the columns the
 * parameters are compared with (from the parse tree and the catalog), then
 * with every remaining unknown as text, and says what each try answered
 * when all fail.
 */
export async function planStatement(
  tx: Database,
  sql: string,
  shape: QueryShape,
  columns: ReadonlyMap<string, ColumnInfo>,
  typedFirst = false,
): Promise<PlanAttempt> {
  const errors: string[] = [];
  if (!typedFirst) {
    try {
      return { ok: true, plan: (await explainGenericPlan(tx, sql)).Plan };
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  const count = countPlaceholders(sql);
  const inferred = inferParamTypes(shape, columns, count);
  const tries = [inferred, count > 0 ? unknownAsText(inferred, count) : undefined].filter(
    (t, i, all): t is string[] => t !== undefined && all.findIndex((o) => o?.join() === t.join()) === i,
  );
  for (const types of tries) {
    try {
      return { ok: true, plan: (await explainGenericPlan(tx, sql, types)).Plan, paramTypes: types };
    } catch (error) {
      errors.push(`with parameter types (${types.join(', ')}): ${(error as Error).message}`);
    }
  }
  const retried = tries.length > 0 ? '' : ' (no parameter type could be inferred from the statement)';
  const text = errors.map((e, i) => (i === 0 && typedFirst ? e.replace(/^with /, '') : e)).join('; retried ');
  return { ok: false, reason: `no generic plan: ${text}${retried}` };
}

/** The generic plan with the types found before, or undefined when it fails now. */
export async function replan(tx: Database, w: PlannedStatement): Promise<PlanNode | undefined> {
  try {
    return (await explainGenericPlan(tx, w.sql, w.paramTypes)).Plan;
  } catch {
    return undefined;
  }
}

/** What {@link findStaleStatistics} needs about tables. */
export interface StaleContext {
  tx: Database;
  tables: ReadonlyMap<string, TableInfo>;
  /** Leaf partitions of a table (itself when not partitioned). */
  leavesOf: (table: string) => string[];
}

/**
 * Compares each measured statement's rows per call (pg_stat_statements)
 * with its generic plan's estimate. Where they are 10× and 1000 rows apart,
 * the tables the plan scans and the statement filters are ANALYZEd — on
 * the columns it filters only, inside the advisor's transaction, which is
 * rolled back — and the statements on them are planned again. A table is
 * reported stale when that moved the estimate 10× closer to what was
 * measured; either way the new plans are what the candidates are priced
 * against. ANALYZE leaves two traces outside the transaction: pg_class's
 * row and page counts (refreshed in place, as any ANALYZE does) and the
 * table's analyze time and count in pg_stat_user_tables.
 */
export async function findStaleStatistics(
  ctx: StaleContext,
  work: PlannedStatement[],
  notes: string[],
): Promise<StaleStatistics[]> {
  const suspects = new Map<
    string,
    { columns: Set<string>; works: { w: PlannedStatement; estimated: number }[] }
  >();
  for (const w of work) {
    if (w.stat.calls === 0) continue;
    const estimated = estimatedRows(w.plan);
    const measured = w.stat.rows / w.stat.calls;
    if (estimated === undefined || !isMisestimate(estimated, measured)) continue;
    const byName = new Map<string, string>();
    for (const table of w.shape.tables)
      for (const leaf of [table, ...ctx.leavesOf(table)])
        byName.set(leaf.slice(leaf.indexOf('.') + 1), table);
    const filtered = new Map<string, Set<string>>();
    const note = (table: string, column: string) =>
      filtered.set(table, (filtered.get(table) ?? new Set()).add(column));
    for (const u of w.shape.uses) if (u.kind !== 'sort') note(u.table, u.column);
    for (const c of w.shape.conditions) note(c.table, c.column);
    for (const p of w.shape.patterns) note(p.table, p.column);
    for (const relation of scannedRelations(w.plan)) {
      const table = byName.get(relation);
      const columns = table ? filtered.get(table) : undefined;
      if (!table || !columns || !ctx.tables.has(table)) continue;
      const entry = suspects.get(table) ?? { columns: new Set<string>(), works: [] };
      for (const c of columns) entry.columns.add(c);
      entry.works.push({ w, estimated });
      suspects.set(table, entry);
    }
  }
  const stale: StaleStatistics[] = [];
  for (const [table, suspect] of suspects) {
    const [schema, name] = [table.slice(0, table.indexOf('.')), table.slice(table.indexOf('.') + 1)];
    const columns = [...suspect.columns].sort();
    try {
      // A column list keeps n_mod_since_analyze, so autovacuum still sees the table as due.
      await ctx.tx.transaction((sp) =>
        sp.query(`ANALYZE ${quoteQualified(schema, name)} (${columns.map(quoteIdent).join(', ')})`),
      );
    } catch (error) {
      notes.push(`ANALYZE ${table} inside the rolled-back transaction failed: ${(error as Error).message}`);
      continue;
    }
    const queries: MisestimatedQuery[] = [];
    for (const w of work.filter((x) => x.shape.tables.includes(table))) {
      const plan = await replan(ctx.tx, w);
      if (!plan) continue;
      const suspectWork = suspect.works.find((s) => s.w === w);
      const after = estimatedRows(plan);
      const measured = w.stat.rows / Math.max(w.stat.calls, 1);
      if (suspectWork && after !== undefined && estimateImproved(suspectWork.estimated, after, measured)) {
        queries.push({
          queryId: w.stat.queryId,
          query: shortSql(w.stat.query),
          calls: w.stat.calls,
          rowsPerCall: round(measured),
          estimatedRows: suspectWork.estimated,
          estimatedRowsAfterAnalyze: after,
          costBefore: round(w.cost),
          costAfterAnalyze: round(plan['Total Cost']),
        });
      }
      w.plan = plan;
      w.cost = plan['Total Cost'];
    }
    if (queries.length === 0) continue;
    const info = ctx.tables.get(table)!;
    stale.push({
      table,
      columns,
      analyzeSql: `ANALYZE ${quoteQualified(schema, name)};`,
      lastAnalyze: latest(info.lastAnalyze, info.lastAutoanalyze),
      modifiedSinceAnalyze: info.modifiedSinceAnalyze,
      queries,
    });
  }
  return stale;
}

function latest(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
