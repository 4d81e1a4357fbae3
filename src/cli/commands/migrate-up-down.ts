import { type Command, Option } from 'commander';
import { isTenonError, TenonError } from '../../core/errors.js';
import type { MigrationResult } from '../../migrate/index.js';
import type { CliContext } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';
import { runResultJson } from '../output/migrate-json.js';
import { renderPartialRun, renderRun } from '../output/migrate-report.js';
import { renderError } from '../output/render-error.js';
import type { ActionFactory } from './action.js';
import { migratorFor, UP_SETTINGS, using, withSettings } from './migrate-settings.js';

function positiveInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new TenonError('TENON_CLI_USAGE', `${flag} expects a whole number ≥ 1 (got "${value}").`, {
      hint: `e.g. ${flag} 2`,
    });
  }
  return Number(value);
}

/**
 * Runs `up`/`down`; when it fails part-way, prints (on stdout, before the
 * error goes to stderr) the migrations that were applied or rolled back
 * before the failure, so a long run's outcome is never just an error.
 */
async function runOrReportPartial<T>(
  ctx: CliContext,
  direction: 'up' | 'down',
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const completed = isTenonError(error) ? error.details.completed : undefined;
    if (!ctx.json && Array.isArray(completed) && completed.length > 0) {
      ctx.out(renderPartialRun(direction, completed as MigrationResult[], ctx.outColors));
    }
    throw error;
  }
}

/** Prints a dry run's failure the way a real failure would look, and sets exit code 3. */
function reportDryRunFailure(ctx: CliContext, message: string | undefined): void {
  if (message === undefined) return;
  ctx.exitCode = ExitCode.runtime;
  if (!ctx.json) {
    ctx.err(renderError(new TenonError('TENON_MIGRATE_STATEMENT_FAILED', message), ctx.colors, false));
  }
}

/** `tenon migrate up`: applies pending migrations (or a dry run on a shadow). */
export function registerMigrateUpCommand(migrate: Command, action: ActionFactory): void {
  withSettings(migrate.command('up'))
    .description(
      'apply pending migrations, each in its own transaction (or statement by statement when needed)',
    )
    .option('--to <version>', 'apply pending migrations up to and including this version')
    .option(
      '--dry-run',
      'run the pending migrations as up would, on a shadow of the database (thrown away), and report the verdict',
    )
    .addOption(
      new Option(
        '--shadow <kind>',
        'with --dry-run on a server: a temporary database on it (server, the default) or an in-memory PGlite',
      ).choices(['server', 'pglite']),
    )
    .addOption(
      new Option(
        '--lint <mode>',
        'lint the pending migrations first: print findings (warn), refuse to run (error), or not (off)',
      ).choices(['off', 'warn', 'error']),
    )
    .option(
      '--max-missing <n>',
      'refuse to run when more applied migrations than this have no file (default: 10; all missing always refuses)',
    )
    .option('--allow-missing', 'run even when applied migrations have no file (deleted on purpose)')
    .action(
      action(async (ctx, command) => {
        const opts = command.opts<{ to?: string; dryRun?: boolean; shadow?: 'server' | 'pglite' }>();
        const result = await runOrReportPartial(ctx, 'up', () =>
          using(ctx, migratorFor(ctx, command, UP_SETTINGS), (m) =>
            m.up({ to: opts.to, dryRun: opts.dryRun, shadow: opts.shadow }),
          ),
        );
        if (ctx.json) ctx.writeJson('tenon.migrate.up/v1', runResultJson(result));
        else ctx.out(renderRun(result, ctx.outColors, ctx.io.columns));
        reportDryRunFailure(ctx, result.migrations.find((m) => m.status === 'failed')?.error?.message);
      }),
    );
}

/** `tenon migrate down`: rolls back applied migrations (or a dry run on a shadow). */
export function registerMigrateDownCommand(migrate: Command, action: ActionFactory): void {
  withSettings(migrate.command('down'))
    .description('roll back the last applied migration (or --steps N, or everything after --to VERSION)')
    .option('--steps <n>', 'roll back this many migrations, newest applied first (default: 1)')
    .option('--to <version>', 'roll back every migration applied after this version (0: all)')
    .option(
      '--dry-run',
      'run the rollback as down would, on a shadow of the database (thrown away), and report the verdict',
    )
    .addOption(
      new Option(
        '--shadow <kind>',
        'with --dry-run on a server: a temporary database on it (server, the default) or an in-memory PGlite',
      ).choices(['server', 'pglite']),
    )
    .action(
      action(async (ctx, command) => {
        const opts = command.opts<{
          steps?: string;
          to?: string;
          dryRun?: boolean;
          shadow?: 'server' | 'pglite';
        }>();
        const steps = opts.steps === undefined ? undefined : positiveInt(opts.steps, '--steps');
        const result = await runOrReportPartial(ctx, 'down', () =>
          using(ctx, migratorFor(ctx, command), (m) =>
            m.down({ steps, to: opts.to, dryRun: opts.dryRun, shadow: opts.shadow }),
          ),
        );
        if (ctx.json) ctx.writeJson('tenon.migrate.down/v1', runResultJson(result));
        else ctx.out(renderRun(result, ctx.outColors, ctx.io.columns));
        reportDryRunFailure(ctx, result.migrations.find((m) => m.status === 'failed')?.error?.message);
      }),
    );
}
