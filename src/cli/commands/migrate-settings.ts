import type { Command } from 'commander';
// The Migrator from the module that defines it: migrate/index.js loads lint and trace too, and
// `status` or an up-to-date `up` must start fast (docs/migrate.md#performance).
import { Migrator } from '../../migrate/migrator.js';
import { useBaselineCompilers } from '../baseline-compilers.js';
import type { CliContext, FlagMapping } from '../cli-context.js';
import { commandConfig } from '../command-config.js';
import { migrateProgress } from '../output/migrate-progress.js';

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
export const LINT_SETTINGS: readonly FlagMapping[] = [
  { option: 'failOn', path: 'migrate.lintFailOn' },
  { option: 'disable', path: 'migrate.lintDisable' },
  { option: 'pgVersion', path: 'migrate.lintPgVersion' },
  { option: 'down', path: 'migrate.lintDown' },
];

/** Flags of `migrate trace`. */
export const TRACE_SETTINGS: readonly FlagMapping[] = [
  { option: 'slow', path: 'migrate.traceSlow' },
  { option: 'largeRows', path: 'migrate.lintLargeTableRows' },
];

/** `up --lint <mode>`, `--max-missing`, `--allow-missing`. */
export const UP_SETTINGS: readonly FlagMapping[] = [
  { option: 'lint', path: 'migrate.lintOnUp' },
  { option: 'maxMissing', path: 'migrate.maxMissing' },
  { option: 'allowMissing', path: 'migrate.allowMissing' },
];

/** Adds the shared flags (or `only` those) to a migrate subcommand. */
export function withSettings(command: Command, only?: readonly string[]): Command {
  for (const s of SETTINGS) if (!only || only.includes(s.option)) command.option(s.flag, s.help);
  return command;
}

/** The Migrator of a migrate subcommand: its settings resolved from flags, environment and config file. */
export function migratorFor(ctx: CliContext, command: Command, extra: readonly FlagMapping[] = []): Migrator {
  const config = commandConfig(ctx, command, [...SETTINGS, ...extra]);
  if (config.databaseUrl !== undefined && !config.databaseUrl.startsWith('pglite://')) useBaselineCompilers();
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
export async function using<T>(
  ctx: CliContext,
  migrator: Migrator,
  fn: (m: Migrator) => Promise<T>,
): Promise<T> {
  try {
    return await fn(migrator);
  } finally {
    ctx.progress().done();
    await migrator.close();
  }
}
