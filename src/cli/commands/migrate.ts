import { relative } from 'node:path';
import type { Command } from 'commander';
import { statusResultJson } from '../output/migrate-json.js';
import { renderStatus } from '../output/migrate-report.js';
import type { ActionFactory } from './action.js';
import {
  registerMigrateBaselineCommand,
  registerMigrateRepairCommand,
  registerMigrateVerifyCommand,
} from './migrate-history.js';
import { registerMigrateLintCommand } from './migrate-lint.js';
import { migratorFor, using, withSettings } from './migrate-settings.js';
import { registerMigrateTraceCommand } from './migrate-trace.js';
import { registerMigrateDownCommand, registerMigrateUpCommand } from './migrate-up-down.js';

/** `tenon migrate …`: create, up, down, status, verify, baseline, repair. */
export function registerMigrateCommand(program: Command, action: ActionFactory): void {
  const migrate = program
    .command('migrate')
    .description('versioned SQL migrations: create, up, down, status, verify, baseline, repair');

  withSettings(migrate.command('create <name>'), ['dir'])
    .description('write <dir>/<UTC timestamp>_<snake_name>.sql with -- migrate:up and -- migrate:down')
    .action(
      action(async (ctx, command, name) => {
        const created = await migratorFor(ctx, command).create(name!);
        if (ctx.json) ctx.writeJson('tenon.migrate.create/v1', created);
        else ctx.out(`Created ${relative(ctx.io.cwd, created.path) || created.path}\n`);
      }),
    );

  registerMigrateUpCommand(migrate, action);
  registerMigrateLintCommand(migrate, action);
  registerMigrateTraceCommand(migrate, action);
  registerMigrateDownCommand(migrate, action);

  withSettings(migrate.command('status'))
    .description(
      'list migrations as applied, pending, dirty, changed or missing; show the lock and invalid indexes',
    )
    .action(
      action(async (ctx, command) => {
        const result = await using(ctx, migratorFor(ctx, command), (m) => m.status());
        if (ctx.json) ctx.writeJson('tenon.migrate.status/v1', statusResultJson(result));
        else ctx.out(renderStatus(result, ctx.outColors));
      }),
    );

  registerMigrateVerifyCommand(migrate, action);
  registerMigrateBaselineCommand(migrate, action);
  registerMigrateRepairCommand(migrate, action);
}
