import { TenonError } from '../core/errors.js';
import { type DryRunStep, dryRunOnShadow } from './dry-run.js';
import { readHistory } from './history-table.js';
import { type IrreversibleKind, irreversibleHint } from './irreversible-hint.js';
import type { MigrationResult } from './migrate-events.js';
import { runPlan } from './migration-runner.js';
import { computeMigrationStatus } from './migration-state.js';
import { planMigration, sectionsOf } from './plan.js';
import { checkKnownVersion, dirtyError, type LockedContext, type RunOutcome, withResults } from './run-up.js';

/** Options of `down`: `steps` (default 1) or `to`, not both. */
export interface DownOptions {
  /** Roll back this many migrations, newest applied first. */
  steps?: number | undefined;
  /** Roll back every migration applied after this version (`0`: all of them). */
  to?: string | undefined;
  dryRun?: boolean | undefined;
  /** `--dry-run` on a server: `pglite` runs it on an in-memory PGlite instead of a temporary database. */
  shadow?: 'server' | 'pglite' | undefined;
}

/**
 * `down` under the lock: picks the migrations to roll back (newest applied
 * first), and before running anything checks that each has its file and a
 * non-empty down section, and that every down section parses.
 */
export async function runDown(ctx: LockedContext, options: DownOptions): Promise<RunOutcome> {
  if (options.steps !== undefined && options.to !== undefined) {
    throw new TenonError('TENON_CLI_USAGE', 'down takes --steps or --to, not both.', {
      hint: 'Use --steps N to roll back the last N migrations, or --to VERSION to roll back everything after VERSION.',
    });
  }
  const { session, history: table } = ctx.settings;
  const history = (await readHistory(session, table)) ?? [];
  const statuses = computeMigrationStatus(ctx.files, history);
  checkKnownVersion(
    options.to,
    [...ctx.files.map((f) => f.version), ...history.map((r) => r.version)],
    '--to',
  );
  const dirty = statuses.find((s) => s.state === 'dirty');
  if (dirty) throw await dirtyError(session, dirty);
  const recorded = history
    .filter((row) => row.state === 'applied')
    .sort((a, b) => b.appliedAt.getTime() - a.appliedAt.getTime() || (a.version < b.version ? 1 : -1));
  const targets =
    options.to !== undefined
      ? recorded.filter((row) => row.version > (options.to as string))
      : recorded.slice(0, options.steps ?? 1);
  const sources = new Map(ctx.files.map((f) => [f.version, f]));
  const problems: string[] = [];
  const kinds = new Set<IrreversibleKind>();
  for (const row of targets) {
    const source = sources.get(row.version);
    if (!source) {
      problems.push(`${row.version}_${row.name}: its file is gone`);
      kinds.add('file-gone');
      continue;
    }
    const down = sectionsOf(source).down;
    if (down === undefined) {
      problems.push(
        source.sections
          ? `${source.file}: no ${source.file.replace(/\.up\.sql$/, '.down.sql')} file`
          : `${source.file}: no "-- migrate:down" section`,
      );
      kinds.add('no-down');
    } else if (down.trim() === '' || !/[^\s;]/.test(stripComments(down))) {
      problems.push(`${source.file}: the down section is empty (irreversible)`);
      kinds.add('empty-down');
    }
  }
  if (problems.length > 0) {
    throw new TenonError(
      'TENON_MIGRATE_IRREVERSIBLE',
      `Cannot roll back; nothing was run:\n${problems.map((p) => `  ${p}`).join('\n')}`,
      {
        hint: irreversibleHint(kinds),
        details: { problems },
      },
    );
  }
  const plans = [];
  for (const row of targets)
    plans.push(
      await planMigration(sources.get(row.version)!, 'down', {
        kind: ctx.kind,
        serverVersion: ctx.serverVersion,
      }),
    );
  const warnings = statuses
    .filter((s) => s.state === 'changed' && targets.some((t) => t.version === s.version))
    .map((s) => `${s.file} changed since it was applied; its down section may not match what was applied`);
  if (options.dryRun) {
    // On a shadow with the applied migrations replayed, the down sections run as `down` would run them.
    const shadowOf = ctx.dryRunShadow;
    if (!shadowOf) throw new Error('dry run without a shadow');
    // Planned only when the shadow is rebuilt by replay (a copy of the live schema has all of it).
    const replay = async () => {
      const plans = [];
      for (const row of [...recorded].reverse()) {
        const source = sources.get(row.version);
        if (source) plans.push(await planMigration(source, 'up', { kind: shadowOf.kind }));
      }
      return plans;
    };
    const steps: DryRunStep[] = [];
    for (const row of targets) {
      steps.push({ plan: await planMigration(sources.get(row.version)!, 'down', { kind: shadowOf.kind }) });
    }
    const { results, shadow } = await dryRunOnShadow(ctx.settings, shadowOf, replay, steps);
    return { results, warnings, ...(shadow ? { shadow } : {}) };
  }
  const results: MigrationResult[] = [];
  try {
    for (const plan of plans) {
      if (ctx.settings.signal?.aborted) {
        throw new TenonError(
          'TENON_INTERRUPTED',
          `Interrupted after rolling back ${results.length} migration(s).`,
        );
      }
      results.push(await runPlan(ctx.settings, plan));
    }
  } catch (error) {
    throw withResults(error, results);
  }
  return { results, warnings };
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}
