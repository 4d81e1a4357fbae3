import { type Command, Option } from 'commander';
import { ExitCode } from '../exit-codes.js';
import type { ActionFactory } from './action.js';
import { migratorFor, TRACE_SETTINGS, using, withSettings } from './migrate-settings.js';

/** `tenon migrate trace`: the locks and rewrites of pending migrations, run on a shadow (its report loads on use). */
export function registerMigrateTraceCommand(migrate: Command, action: ActionFactory): void {
  withSettings(migrate.command('trace'), ['dir', 'table', 'schema'])
    .description(
      'run the pending migrations on a shadow database and report the locks each statement takes, the tables it rewrites and how long locks are held',
    )
    .option('--to <version>', 'trace pending migrations up to and including this version')
    .addOption(
      new Option(
        '--shadow <kind>',
        'where to trace: server (a temporary database; default with a server) or pglite',
      ).choices(['server', 'pglite']),
    )
    .option('--slow <duration>', 'a statement running this long in the shadow is a slow step (default: 1s)')
    .option('--large-rows <n>', 'a table with this many rows is large (default: 1000000)')
    .action(
      action(async (ctx, command) => {
        const opts = command.opts<{ to?: string; shadow?: 'server' | 'pglite' }>();
        const migrator = migratorFor(ctx, command, TRACE_SETTINGS);
        const result = await using(ctx, migrator, (m) => m.trace({ to: opts.to, shadow: opts.shadow }));
        const { renderTrace, traceResultJson } = await import('../output/migrate-trace-report.js');
        if (ctx.json) ctx.writeJson('tenon.migrate.trace/v1', traceResultJson(result));
        else ctx.out(renderTrace(result, ctx.outColors));
        if (result.failed) ctx.exitCode = ExitCode.runtime;
        else if (result.counts.error > 0) ctx.exitCode = ExitCode.checkFailed;
      }),
    );
}
