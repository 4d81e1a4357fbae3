import { qualifiedHistoryName } from './history-table.js';
import type { MigrationResult } from './migrate-events.js';
import { runPlan } from './migration-runner.js';
import type { MigrationPlan } from './plan.js';
import {
  baseResult,
  ELAPSED_IN_TRANSACTION,
  emitStatement,
  historyWriteSql,
  type RunSettings,
} from './run-settings.js';
import { quoteMilliseconds } from './sql-quote.js';

/** Batches grow while a round trip stays under this, and shrink above it, so Ctrl-C and progress stay prompt. */
const BATCH_TARGET_MS = 250;
const MAX_BATCH = 64;

/** The script of one migration as its own transaction, history row included. */
function transactionScript(settings: RunSettings, plan: MigrationPlan): string {
  let script = `begin; set local lock_timeout = ${quoteMilliseconds(settings.lockTimeoutMs)}; set local statement_timeout = ${quoteMilliseconds(settings.statementTimeoutMs)};\n`;
  // A newline before each semicolon: a statement ending in a `--` comment cannot swallow it.
  for (const statement of plan.statements) script += `${statement.sql}\n;\n`;
  return `${script}${historyWriteSql(settings, plan, ELAPSED_IN_TRANSACTION)};\ncommit;\n`;
}

/**
 * Sends several transactional migrations in ONE round trip, each still its
 * own transaction with its history row (`BEGIN … COMMIT; BEGIN … COMMIT; …`).
 * PostgreSQL stops at the first error; the history then says exactly which
 * migrations committed, and the failed one is run again on its own, which
 * names the statement (and retries a lock timeout). Durations come from the
 * history rows, measured by the server.
 */
async function applyBatch(
  settings: RunSettings,
  plans: readonly MigrationPlan[],
): Promise<MigrationResult[]> {
  const { session } = settings;
  for (const plan of plans) {
    settings.emit('migration-start', {
      version: plan.version,
      name: plan.name,
      file: plan.file,
      direction: 'up',
      transactional: true,
      statements: plan.statements.length,
      dryRun: false,
    });
    for (const statement of plan.statements) emitStatement(settings, plan, statement);
  }
  let failed: unknown;
  try {
    await session.exec(plans.map((plan) => transactionScript(settings, plan)).join(''));
  } catch (error) {
    failed = error;
    // Outside a transaction this is only a warning; inside the failed one it ends it.
    await session.exec('rollback').catch(() => undefined);
  }
  const { rows } = await session.query<{ version: string; execution_ms: number }>(
    `select version, execution_ms from ${qualifiedHistoryName(settings.history)} where version = any($1::text[])`,
    [plans.map((p) => p.version)],
  );
  const committed = new Map(rows.map((r) => [r.version, Number(r.execution_ms)]));
  const results: MigrationResult[] = [];
  for (const plan of plans) {
    const ms = committed.get(plan.version);
    if (ms === undefined) break;
    const result = { ...baseResult(plan), executionMs: ms };
    settings.emit('migration-done', result);
    results.push(result);
  }
  if (failed === undefined && results.length !== plans.length)
    throw new Error('a batch committed without its history rows');
  return results;
}

/**
 * Applies plans in order, transactional ones in batches whose size adapts
 * to keep each round trip near {@link BATCH_TARGET_MS}: fewer round trips
 * (and context switches) per migration, with the same per-migration
 * transactions and history rows. Non-transactional plans, and all plans
 * when a statement_timeout is set, run one at a time.
 */
export async function applyPlans(
  settings: RunSettings,
  plans: readonly MigrationPlan[],
  onResult: (result: MigrationResult) => void,
  shouldStop: () => boolean,
): Promise<void> {
  let size = 1;
  for (let i = 0; i < plans.length; ) {
    if (shouldStop()) return;
    const batch: MigrationPlan[] = [];
    while (
      batch.length < size &&
      i + batch.length < plans.length &&
      plans[i + batch.length]!.transactional &&
      settings.statementTimeoutMs === 0
    ) {
      batch.push(plans[i + batch.length]!);
    }
    if (batch.length <= 1) {
      const result = await runPlan(settings, plans[i]!);
      onResult(result);
      i++;
      size = result.executionMs < BATCH_TARGET_MS / 2 ? Math.min(size * 2, MAX_BATCH) : 1;
      continue;
    }
    const started = performance.now();
    const applied = await applyBatch(settings, batch);
    for (const result of applied) onResult(result);
    i += applied.length;
    if (applied.length < batch.length) {
      // Run the failed one alone: it either fails again with its statement named, or goes through.
      onResult(await runPlan(settings, batch[applied.length]!));
      i++;
      size = 1;
      continue;
    }
    const ms = performance.now() - started;
    size =
      ms < BATCH_TARGET_MS / 2
        ? Math.min(size * 2, MAX_BATCH)
        : ms > BATCH_TARGET_MS
          ? Math.max(1, Math.floor(size / 2))
          : size;
  }
}
