import { relative } from 'node:path';
import { type Command, Option } from 'commander';
import { z } from 'zod';
import { isTenonError, TenonError } from '../../core/errors.js';
import { tenonVersion } from '../../core/version.js';
import type { MigrationResult, RepairAction } from '../../migrate/index.js';
// Values from the modules that define them: migrate/index.js loads lint and trace too, and `status`
// or an up-to-date `up` must start fast (docs/migrate.md#performance). lint and trace load on use.
import { severityAtLeast } from '../../migrate/lint/lint-rule.js';
import { Migrator } from '../../migrate/migrator.js';
import { useBaselineWasmCompiler } from '../baseline-wasm-compiler.js';
import type { CliContext, FlagMapping } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';
import { runResultJson, statusResultJson, verifyResultJson } from '../output/migrate-json.js';
import { lintResultJson, renderLint } from '../output/migrate-lint-report.js';
import { migrateProgress } from '../output/migrate-progress.js';
import { renderPartialRun, renderRun, renderStatus, renderVerify } from '../output/migrate-report.js';
import { renderError } from '../output/render-error.js';
import type { ActionFactory } from './action.js';

/** The flags shared by the subcommands, each mapped onto a `migrate.*` setting. */
const SETTINGS: readonly (FlagMapping & { flag: string; help: string })[] = [
  {
    option: 'dir',
    path: 'migrate.dir',
    flag: '--dir <dir>',
    help: 'migrations directory (default: migrations)',
  },
  {
    option: 'table',
    path: 'migrate.table',
    flag: '--table <name>',
    help: 'history table (default: tenon_migrations)',
  },
  {
    option: 'schema',
    path: 'migrate.schema',
    flag: '--schema <name>',
    help: 'schema of the history table (default: public)',
  },
  {
    option: 'lockTimeout',
    path: 'migrate.lockTimeout',
    flag: '--lock-timeout <duration>',
    help: 'SET LOCAL lock_timeout for each migration (default: 5s; 0 disables)',
  },
  {
    option: 'statementTimeout',
    path: 'migrate.statementTimeout',
    flag: '--statement-timeout <duration>',
    help: 'SET LOCAL statement_timeout for each migration (default: 0, none)',
  },
  {
    option: 'lockWait',
    path: 'migrate.lockWait',
    flag: '--lock-wait <duration>',
    help: 'how long to wait for another runner holding the migration lock (default: 60s)',
  },
  {
    option: 'lockRetries',
    path: 'migrate.lockRetries',
    flag: '--lock-retries <n>',
    help: 'retries of a migration that hit lock_timeout (default: 3)',
  },
  {
    option: 'allowOutOfOrder',
    path: 'migrate.allowOutOfOrder',
    flag: '--allow-out-of-order',
    help: 'apply pending migrations older than the newest applied one',
  },
];

/** Flags of `migrate lint`, mapped onto the `migrate.lint*` settings. */
const LINT_SETTINGS: readonly FlagMapping[] = [
  { option: 'failOn', path: 'migrate.lintFailOn' },
  { option: 'disable', path: 'migrate.lintDisable' },
  { option: 'pgVersion', path: 'migrate.lintPgVersion' },
  { option: 'down', path: 'migrate.lintDown' },
];

/** Flags of `migrate trace`. */
const TRACE_SETTINGS: readonly FlagMapping[] = [
  { option: 'slow', path: 'migrate.traceSlow' },
  { option: 'largeRows', path: 'migrate.lintLargeTableRows' },
];

/** `up --lint <mode>`, `--max-missing`, `--allow-missing`. */
const UP_SETTINGS: readonly FlagMapping[] = [
  { option: 'lint', path: 'migrate.lintOnUp' },
  { option: 'maxMissing', path: 'migrate.maxMissing' },
  { option: 'allowMissing', path: 'migrate.allowMissing' },
];

function withSettings(command: Command, only?: readonly string[]): Command {
  for (const s of SETTINGS) if (!only || only.includes(s.option)) command.option(s.flag, s.help);
  return command;
}

function migratorFor(ctx: CliContext, command: Command, extra: readonly FlagMapping[] = []): Migrator {
  // A migrate command validates a few objects once (the settings, the Migrator's options): zod's
  // compiled fast path costs more to build (~4 ms of CPU) than it saves (docs/migrate.md#performance).
  z.config({ jitless: true });
  const config = ctx.resolveConfig(command, [...SETTINGS, ...extra]);
  if (config.databaseUrl !== undefined && !config.databaseUrl.startsWith('pglite://'))
    useBaselineWasmCompiler();
  return new Migrator({
    ...config.migrate,
    databaseUrl: config.databaseUrl,
    cwd: ctx.io.cwd,
    signal: ctx.io.signal,
    onEvent: migrateProgress(ctx.progress(), ctx.colors, {
      lockWaitMs: config.migrate.lockWait,
      lintOnUp: config.migrate.lintOnUp,
      columns: ctx.io.columns,
    }),
  });
}

/** Runs `fn`, then clears the progress line (before results are printed) and closes the Migrator. */
async function using<T>(ctx: CliContext, migrator: Migrator, fn: (m: Migrator) => Promise<T>): Promise<T> {
  try {
    return await fn(migrator);
  } finally {
    ctx.progress().done();
    await migrator.close();
  }
}

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
