import type { Command } from 'commander';
import { TenonError } from '../../core/errors.js';
import type { RepairAction } from '../../migrate/index.js';
import { ExitCode } from '../exit-codes.js';
import { verifyResultJson } from '../output/migrate-json.js';
import { renderVerify } from '../output/migrate-report.js';
import { renderError } from '../output/render-error.js';
import type { ActionFactory } from './action.js';
import { migratorFor, using, withSettings } from './migrate-settings.js';

/** `tenon migrate verify`: applied files against their checksums and the history; exit 1 on drift. */
export function registerMigrateVerifyCommand(migrate: Command, action: ActionFactory): void {
  withSettings(migrate.command('verify'))
    .description('check applied files against their checksums and the history; exit 1 on any drift')
    .action(
      action(async (ctx, command) => {
        const result = await using(ctx, migratorFor(ctx, command), (m) => m.verify());
        if (ctx.json) ctx.writeJson('tenon.migrate.verify/v1', verifyResultJson(result));
        else ctx.out(renderVerify(result));
        if (!result.ok) {
          ctx.exitCode = ExitCode.checkFailed;
          const error = new TenonError(
            'TENON_MIGRATE_DRIFT',
            `${result.problems.length} problem${result.problems.length > 1 ? 's' : ''}:\n${result.problems.map((p) => `  ${p.message}`).join('\n')}`,
            {
              hint: 'Restore edited or deleted files from version control. If an edit is deliberate and harmless, `tenon migrate repair --update-checksums` records it; `repair --forget-missing` drops rows of deleted files.',
            },
          );
          if (!ctx.json) ctx.err(renderError(error, ctx.colors, false));
        }
      }),
    );
}

/** `tenon migrate baseline <version>`: records migrations as applied without running them. */
export function registerMigrateBaselineCommand(migrate: Command, action: ActionFactory): void {
  withSettings(migrate.command('baseline <version>'))
    .description('record every migration up to VERSION as applied without running it (existing databases)')
    .action(
      action(async (ctx, command, version) => {
        const result = await using(ctx, migratorFor(ctx, command), (m) => m.baseline(version!));
        if (ctx.json) ctx.writeJson('tenon.migrate.baseline/v1', result);
        else {
          ctx.out(
            `Recorded ${result.migrations.length} migration${result.migrations.length > 1 ? 's' : ''} up to ${result.version} as applied (baseline); nothing was run.\n`,
          );
        }
      }),
    );
}

/** `tenon migrate repair [version]`: resolves a dirty migration, accepts edited checksums, forgets deleted files. */
export function registerMigrateRepairCommand(migrate: Command, action: ActionFactory): void {
  withSettings(migrate.command('repair [version]'))
    .description(
      'resolve a dirty migration after a human checked it, accept edited checksums, forget deleted files',
    )
    .option(
      '--retry',
      'you fixed the cause: the next up runs the dirty migration again from the failed statement',
    )
    .option('--applied', 'you finished the dirty migration by hand: record it as applied')
    .option(
      '--forget',
      'you undid what the dirty migration did: remove its row; the next up runs it from the start',
    )
    .option('--update-checksums', 'record the current checksum of applied files that were edited')
    .option('--forget-missing', 'remove history rows of applied migrations whose file is gone')
    .action(
      action(async (ctx, command) => {
        // An absent optional positional reaches the action factory as the string "undefined".
        const version = command.processedArgs[0] as string | undefined;
        const opts = command.opts<{
          retry?: boolean;
          applied?: boolean;
          forget?: boolean;
          updateChecksums?: boolean;
          forgetMissing?: boolean;
        }>();
        const actions = (['retry', 'applied', 'forget'] as const).filter((a) => opts[a]);
        if (actions.length > 1) {
          throw new TenonError(
            'TENON_CLI_USAGE',
            `repair takes one of --retry, --applied, --forget (got ${actions.map((a) => `--${a}`).join(', ')}).`,
          );
        }
        const result = await using(ctx, migratorFor(ctx, command), (m) =>
          m.repair({
            version: version || undefined,
            action: actions[0] as RepairAction | undefined,
            updateChecksums: opts.updateChecksums,
            forgetMissing: opts.forgetMissing,
          }),
        );
        if (ctx.json) ctx.writeJson('tenon.migrate.repair/v1', result);
        else if (result.changes.length === 0) ctx.out('Nothing to repair.\n');
        else ctx.out(result.changes.map((c) => `${c.description}\n`).join(''));
      }),
    );
}
