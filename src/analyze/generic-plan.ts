import type { Database } from '../core/db/index.js';
import { type ExplainOutput, explainOutputOf } from './plan.js';
import { TAG } from './sql-text.js';

let counter = 0;

/**
 * EXPLAINs a statement that may contain `$n` parameters (as
 * pg_stat_statements records them) with a generic plan: the plan PostgreSQL
 * would use for any parameter values.
 *
 * `EXPLAIN (GENERIC_PLAN)` exists only from PostgreSQL 16 and cannot be sent
 * with the extended protocol PGlite uses (the `$n` become bind parameters),
 * so this uses the way that works on 13–18 and PGlite alike: PREPARE the
 * statement (PostgreSQL infers the parameter types, or takes `paramTypes`
 * where it cannot: `unknown` leaves one to inference), force a generic plan
 * with `plan_cache_mode`, and `EXPLAIN EXECUTE` it with NULLs.
 *
 * Must run inside a transaction on one session (`tx`); each attempt is
 * wrapped in a savepoint so a statement that fails to prepare (a parameter
 * type that cannot be inferred, a table that no longer exists) leaves the
 * transaction usable.
 *
 * @throws the database error when the statement cannot be prepared or explained.
 */
export async function explainGenericPlan(
  tx: Database,
  sql: string,
  paramTypes?: readonly string[],
): Promise<ExplainOutput> {
  const name = `tenon_plan_${process.pid}_${++counter}`;
  let prepared = false;
  try {
    return await tx.transaction(async (sp) => {
      await sp.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
      const types = paramTypes && paramTypes.length > 0 ? ` (${paramTypes.join(', ')})` : '';
      await sp.query(`PREPARE ${name}${types} AS ${sql}`);
      prepared = true;
      const count = await sp.query<{ n: number }>(
        `select ${TAG} coalesce(array_length(parameter_types, 1), 0)::int as n from pg_prepared_statements where name = $1`,
        [name],
      );
      const n = count.rows[0]?.n ?? 0;
      const args = n > 0 ? `(${Array.from({ length: n }, () => 'NULL').join(', ')})` : '';
      const { rows } = await sp.query<Record<string, unknown>>(
        `EXPLAIN (FORMAT JSON) EXECUTE ${name}${args}`,
      );
      return explainOutputOf(rows);
    });
  } finally {
    // PREPARE is not undone by a rollback; free the name either way.
    if (prepared) await tx.query(`DEALLOCATE ${name}`);
  }
}
