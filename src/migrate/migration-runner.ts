import type { MigrationResult } from './migrate-events.js';
import type { MigrationPlan } from './plan.js';
import type { ApplyOptions, RunSettings } from './run-settings.js';
import { runStatementByStatement } from './run-statement-by-statement.js';
import { runTransactional } from './run-transactional.js';

export type { ApplyOptions, RunSettings } from './run-settings.js';

/** Runs one migration (up or down) and records it; throws a TenonError naming the failed statement. */
export async function runPlan(
  settings: RunSettings,
  plan: MigrationPlan,
  options: ApplyOptions = {},
): Promise<MigrationResult> {
  settings.onEvent({
    type: 'migration-start',
    version: plan.version,
    name: plan.name,
    file: plan.file,
    direction: plan.direction,
    transactional: plan.transactional,
    statements: plan.statements.length,
    dryRun: false,
  });
  const result = plan.transactional
    ? await runTransactional(settings, plan)
    : await runStatementByStatement(settings, plan, options.resumeFrom);
  settings.onEvent({ type: 'migration-done', migration: result });
  return result;
}
