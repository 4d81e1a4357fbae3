import { Command, Option } from 'commander';
import { tenonVersion } from '../core/version.js';
import { CliContext, type GlobalOptions } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import type { ActionFactory } from './commands/action.js';
import { registerConfigCommand } from './commands/config.js';
import { registerDbCommand } from './commands/db.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerLoadCommand } from './commands/load.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerScaffoldCommands } from './commands/scaffold-commands.js';

/** Where a finished action leaves its context, so `runCli` can read the exit code. */
export interface ProgramState {
  context?: CliContext;
}

/**
 * Builds the `tenon` command tree. Output goes through `io`, commander's
 * own exits are turned into exceptions, and every command's action runs
 * with a {@link CliContext}.
 */
export function createProgram(io: CliIo, state: ProgramState): Command {
  const program = new Command('tenon');
  program
    .description('Build and run production APIs on PostgreSQL: scaffold, migrate, analyze, load-test.')
    .version(tenonVersion(), '-V, --version', 'print the version')
    .addOption(
      new Option(
        '--database-url <url>',
        'postgres://… or pglite://DIR (env DATABASE_URL; default pglite://.tenon/pglite)',
      ),
    )
    .option('--config <file>', 'config file (env TENON_CONFIG; default ./tenon.config.json|yaml)')
    .option('--json', 'print results as JSON on stdout')
    .option('--verbose', 'show details, stack traces and causes of errors')
    .option('--no-color', 'do not color output (also NO_COLOR)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // runCli prints usage errors itself, with a code and a hint.
      outputError: () => undefined,
    });

  const action: ActionFactory =
    (body) =>
    async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const positionals = args
        .slice(0, -2)
        .flatMap((a) => (Array.isArray(a) ? a : [a]))
        // An optional argument left out arrives as undefined: it is not "undefined".
        .filter((a) => a !== undefined)
        .map(String);
      const context = new CliContext(io, command.optsWithGlobals() as GlobalOptions);
      state.context = context;
      await body(context, command, ...positionals);
    };

  registerConfigCommand(program, action);
  registerMigrateCommand(program, action);
  registerLoadCommand(program, action);
  registerDbCommand(program, action);
  registerScaffoldCommands(program, action);
  registerDemoCommand(program, action);
  return program;
}
