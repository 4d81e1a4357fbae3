import { quoteMilliseconds } from '../core/sql/quote.js';
import { statementFailedError } from './migrate-errors.js';
import type { MigrationResult, PlannedStatementView } from './migrate-events.js';
import type { RunSettings } from './migration-runner.js';
import type { MigrationPlan } from './plan.js';

/** The statements of a plan as `--dry-run` prints them. */
export function planView(plan: MigrationPlan): PlannedStatementView[] {
  return plan.statements.map((s) => ({
    index: s.index,
    line: s.line,
    sql: s.sql,
    runs: plan.transactional ? 'transaction' : 'outside',
    ...(s.nonTransactional ? { nonTransactional: s.nonTransactional } : {}),
    ...(s.rewritten ? { rewritten: s.rewritten } : {}),
  }));
}

/**
 * Executes the migrations of `plans`, in order, inside ONE transaction that
 * is always rolled back, so a later migration sees what the earlier ones
 * created and nothing is left behind. Statements that cannot run in a
 * transaction (CREATE INDEX CONCURRENTLY, VACUUM, …) are not executed and
 * the result says so: they could not be undone, and building the index
 * without CONCURRENTLY instead would lock the table. Stops at the first
 * failure, as a real run would.
 */
export async function dryRunPlans(
  settings: RunSettings,
  plans: readonly MigrationPlan[],
): Promise<(MigrationResult & { plan: PlannedStatementView[] })[]> {
  const { session } = settings;
  const results: (MigrationResult & { plan: PlannedStatementView[] })[] = [];
  await session.exec(
    `begin; set local lock_timeout = ${quoteMilliseconds(settings.lockTimeoutMs)}; set local statement_timeout = ${quoteMilliseconds(settings.statementTimeoutMs)}`,
  );
  try {
    let skipped = 0;
    for (const plan of plans) {
      settings.onEvent({
        type: 'migration-start',
        version: plan.version,
        name: plan.name,
        file: plan.file,
        direction: plan.direction,
        transactional: plan.transactional,
        statements: plan.statements.length,
        dryRun: true,
      });
      const result: MigrationResult & { plan: PlannedStatementView[] } = {
        version: plan.version,
        name: plan.name,
        file: plan.file,
        direction: plan.direction,
        status: 'checked',
        transactional: plan.transactional,
        statements: plan.statements.length,
        executionMs: 0,
        retries: 0,
        notes: [...plan.notes],
        plan: planView(plan),
      };
      results.push(result);
      const started = performance.now();
      let failed = false;
      const outside = plan.statements.filter((s) => s.nonTransactional);
      if (outside.length > 0) {
        skipped += outside.length;
        result.notes.push(
          `not executed by the dry run (cannot run in a transaction, could not be undone): ${outside.map((s) => `statement ${s.index} (${s.nonTransactional})`).join(', ')}`,
        );
        if (outside.length === plan.statements.length) result.status = 'skipped';
      }
      for (const statement of plan.statements) {
        if (statement.nonTransactional) continue;
        try {
          await session.exec(statement.sql);
        } catch (error) {
          const failure = statementFailedError(plan, statement, error, { rolledBack: true });
          result.status = 'failed';
          result.error = {
            code: failure.code,
            message: failure.message,
            ...(failure.hint ? { hint: failure.hint } : {}),
          };
          if (skipped > 0) {
            result.notes.push(
              'an earlier statement was not executed by the dry run (it cannot run in a transaction), which may explain this failure',
            );
          }
          failed = true;
          break;
        }
      }
      result.executionMs = Math.round(performance.now() - started);
      settings.onEvent({ type: 'migration-done', migration: result });
      if (failed) break;
    }
  } finally {
    await session.exec('rollback').catch(() => undefined);
  }
  return results;
}
