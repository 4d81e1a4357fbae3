import type { Database } from '../../core/db/index.js';
import type { TableInfo } from '../catalog/tables.js';
import { num } from '../catalog/values.js';
import { type PlanNode, planNodes } from '../plan.js';
import { TAG } from '../sql-text.js';
import type { CandidateIndex } from './candidates.js';

/** Planner statistics of one column. */
interface ColumnStats {
  nullFrac: number;
  nDistinct: number;
}

/**
 * Estimates, without building anything, what a single-column index would
 * cost for an equality lookup, from `pg_stats` (selectivity from
 * n_distinct) and the cost settings. Used for large tables when neither
 * hypopg nor a real build is possible; its results are marked low confidence.
 *
 * @returns the estimated cost after, or undefined when the rules say the index would not help.
 */
export async function estimateWithPgStats(
  db: Database,
  candidate: CandidateIndex,
  table: TableInfo,
  plan: PlanNode,
  costBefore: number,
): Promise<number | undefined> {
  if (candidate.columns.length !== 1) return undefined;
  const scan = planNodes(plan).find(
    (n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === candidate.tableName,
  );
  if (!scan) return undefined;
  const stats = await columnStats(db, candidate);
  if (!stats) return undefined;
  const rows = Math.max(table.reltuples, 1);
  const distinct = stats.nDistinct < 0 ? -stats.nDistinct * rows : stats.nDistinct;
  if (distinct <= 0) return undefined;
  const matching = (rows * (1 - stats.nullFrac)) / distinct;
  // Below ~5% of the rows an index scan beats reading the whole table.
  if (matching / rows > 0.05) return undefined;
  const { randomPageCost, cpuTupleCost } = await costSettings(db);
  const pagesTouched = Math.min(matching, Math.max(table.relpages, 1));
  const indexCost = randomPageCost * (2 + pagesTouched) + cpuTupleCost * matching * 2;
  return Math.max(1, costBefore - scan['Total Cost'] + indexCost);
}

async function columnStats(db: Database, candidate: CandidateIndex): Promise<ColumnStats | undefined> {
  const { rows } = await db.query<{ null_frac: unknown; n_distinct: unknown }>(
    `select ${TAG} null_frac, n_distinct from pg_stats where schemaname = $1 and tablename = $2 and attname = $3`,
    [candidate.schema, candidate.tableName, candidate.columns[0]],
  );
  const row = rows[0];
  return row ? { nullFrac: num(row.null_frac), nDistinct: num(row.n_distinct) } : undefined;
}

async function costSettings(db: Database): Promise<{ randomPageCost: number; cpuTupleCost: number }> {
  const { rows } = await db.query<{ r: string; c: string }>(
    `select ${TAG} current_setting('random_page_cost') as r, current_setting('cpu_tuple_cost') as c`,
  );
  return { randomPageCost: Number(rows[0]!.r), cpuTupleCost: Number(rows[0]!.c) };
}
