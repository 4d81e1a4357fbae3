import type { DatabaseKind } from '../core/db/database.js';
import { isTenonError, TenonError } from '../core/errors.js';
import { createHistoryTableSql } from './history-table.js';
import type { MigrationResult, PlannedStatementView } from './migrate-events.js';
import { type RunSettings, runPlan } from './migration-runner.js';
import type { MigrationPlan } from './plan.js';
import { sessionResetSql } from './session-reset.js';
import type { AppliedPlans, Shadow } from './trace/shadow.js';

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

/** A migration's result in a dry run, with the plan it printed. */
export type DryRunResult = MigrationResult & { plan: PlannedStatementView[] };

/** Where a dry run runs: the shadow's kind (plans are made for it) and how to open it. */
export interface DryRunShadow {
  kind: DatabaseKind;
  /** False when the shadow is a copy of the live database (a live PGlite): nothing to replay. */
  replays: boolean;
  /** Opens a shadow; `replay` gives the applied migrations when it is rebuilt by running them. */
  open(replay: AppliedPlans): Promise<Shadow>;
}

/** One migration to dry-run, and where a resumed one continues. */
export interface DryRunStep {
  plan: MigrationPlan;
  resumeFrom?: number | undefined;
}

/**
 * The dry run: the same migrations, in the same order, run exactly as the
 * real run would run them — each in its own transaction, or statement by
 * statement outside one (CREATE INDEX CONCURRENTLY, VACUUM and the rest are
 * executed), each from a clean session, with its history row — but on a
 * shadow of the database (see {@link DryRunShadow}), thrown away at the
 * end. So a value added to an enum by one migration is usable by the next,
 * as in the real run, and the verdict is the real run's. The live database
 * is only read. Stops at the first failure; the migrations after it are
 * `not-run`, so every pending migration is listed.
 */
export async function dryRunOnShadow(
  settings: RunSettings,
  shadowOf: DryRunShadow,
  replay: AppliedPlans,
  steps: readonly DryRunStep[],
): Promise<{ results: DryRunResult[]; shadow: string | undefined; replayed: boolean }> {
  // Nothing to run: no shadow to build (replaying a long history costs as much as applying it).
  if (steps.length === 0) return { results: [], shadow: undefined, replayed: false };
  const shadow = await shadowOf.open(replay);
  const results: DryRunResult[] = [];
  try {
    await shadow.db.withSession(async (session) => {
      if (steps.length > 0) await session.exec(createHistoryTableSql(settings.history));
      const shadowSettings: RunSettings = {
        ...settings,
        session,
        resetSql: sessionResetSql({
          kind: shadow.db.kind,
          serverVersion: shadow.db.serverVersion,
          applicationName: 'tenon migrate dry run',
        }),
        // The real run's events, marked as a dry run; `migration-done` carries the dry run's result.
        onEvent: (event) => {
          if (event.type === 'migration-start') settings.onEvent({ ...event, dryRun: true });
          else if (event.type !== 'migration-done') settings.onEvent(event);
        },
      };
      let failed = false;
      for (const { plan, resumeFrom } of steps) {
        const result: DryRunResult = {
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
          plan: planView(resumeFrom ? { ...plan, statements: plan.statements.slice(resumeFrom - 1) } : plan),
          ...(resumeFrom ? { resumedAt: resumeFrom } : {}),
        };
        results.push(result);
        if (failed) {
          result.status = 'not-run';
          result.notes.push('not run: an earlier migration failed, and the real run stops there too');
          continue;
        }
        if (settings.signal?.aborted) {
          throw new TenonError('TENON_INTERRUPTED', `Interrupted after ${results.length - 1} migration(s).`);
        }
        try {
          const ran = await runPlan(shadowSettings, plan, resumeFrom ? { resumeFrom } : {});
          result.executionMs = ran.executionMs;
          result.retries = ran.retries;
          result.notes = ran.notes;
        } catch (error) {
          if (!isTenonError(error) || error.code === 'TENON_INTERRUPTED') throw error;
          result.status = 'failed';
          result.error = {
            code: error.code,
            message: error.message,
            ...(error.hint ? { hint: error.hint } : {}),
          };
          failed = true;
        }
        settings.onEvent({ type: 'migration-done', migration: result });
      }
    });
  } finally {
    await shadow.dispose();
  }
  return { results, shadow: shadow.description, replayed: shadow.source === 'replayed' };
}
