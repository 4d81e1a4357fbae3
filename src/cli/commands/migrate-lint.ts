import { type Command, Option } from 'commander';
import { TenonError } from '../../core/errors.js';
import { tenonVersion } from '../../core/version.js';
// severityAtLeast from the module that defines it: migrate/index.js loads lint and trace too
// (docs/migrate.md#performance); the SARIF writer loads on use.
import { severityAtLeast } from '../../migrate/lint/lint-rule.js';
import { ExitCode } from '../exit-codes.js';
import { lintResultJson, renderLint } from '../output/migrate-lint-report.js';
import { renderError } from '../output/render-error.js';
import type { ActionFactory } from './action.js';
import { LINT_SETTINGS, migratorFor, using, withSettings } from './migrate-settings.js';

/** `tenon migrate lint`: findings of the lint rules as a table, JSON or SARIF. */
export function registerMigrateLintCommand(migrate: Command, action: ActionFactory): void {
  withSettings(migrate.command('lint [files...]'), ['dir', 'table', 'schema', 'lockTimeout'])
    .description(
      'check migrations for statements that lock, rewrite or break a live database (default: pending ones with a database, else all)',
    )
    .addOption(
      new Option('--format <format>', 'output: table, json or sarif (GitHub code scanning)').choices([
        'table',
        'json',
        'sarif',
      ]),
    )
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding is this severe or worse (default: error)',
      ).choices(['error', 'warning', 'info', 'never']),
    )
    .option('--disable <rules>', 'rules to switch off, comma-separated')
    .option(
      '--pg-version <version>',
      'PostgreSQL version to assume without a database, e.g. 15 (default: 13)',
    )
    .option('--down', 'lint the down sections too')
    .option('--all', 'with a database: lint every file, not only the pending ones')
    .action(
      action(async (ctx, command) => {
        const files = command.processedArgs[0] as string[] | undefined;
        const opts = command.opts<{ format?: 'table' | 'json' | 'sarif'; all?: boolean }>();
        const migrator = migratorFor(ctx, command, LINT_SETTINGS);
        const result = await using(ctx, migrator, (m) => m.lint({ files, all: opts.all }));
        const failOn = migrator.options.lintFailOn;
        const failing =
          failOn === 'never' ? [] : result.findings.filter((f) => severityAtLeast(f.severity, failOn));
        const format = opts.format ?? (ctx.json ? 'json' : 'table');
        if (format === 'json')
          ctx.writeJson('tenon.migrate.lint/v1', lintResultJson(result, failOn, failing.length > 0));
        // SARIF is a standard document with its own `$schema` and `version`: printed as it is.
        else if (format === 'sarif') {
          const { lintSarif } = await import('../../migrate/lint/sarif.js');
          ctx.out(
            `${JSON.stringify(lintSarif(result, { toolVersion: tenonVersion(), baseDir: ctx.io.cwd }), null, 2)}\n`,
          );
        } else ctx.out(renderLint(result, ctx.outColors, ctx.io.columns));
        for (const warning of result.warnings) ctx.err(ctx.colors.yellow(`warning: ${warning}\n`));
        if (result.errors.length > 0) {
          ctx.exitCode = ExitCode.usage;
          if (format === 'table') {
            for (const e of result.errors) {
              ctx.err(
                renderError(new TenonError(e.code as 'TENON_SQL_PARSE_FAILED', e.message), ctx.colors, false),
              );
            }
          }
        } else if (failing.length > 0) {
          ctx.exitCode = ExitCode.checkFailed;
          if (format === 'table') {
            ctx.err(
              ctx.colors.red(
                `lint failed: ${failing.length} finding${failing.length > 1 ? 's' : ''} at ${failOn} or above (--fail-on).\n`,
              ),
            );
          }
        }
      }),
    );
}
