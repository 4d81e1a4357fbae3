import { Command, Option } from 'commander';
import { tenonVersion } from '../core/version.js';
import { CliContext, type GlobalOptions } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import type { ActionFactory } from './commands/action.js';

type Register = (program: Command, action: ActionFactory) => void;

/**
 * The top-level commands, in the order `--help` lists them, each loaded on
 * demand: a command's module pulls in its part of the library (migrate,
 * load, analyze, scaffold, the demo and all of them), so `tenon migrate
 * status` loads only what migrate needs and starts in a fraction of the time.
 */
const COMMANDS: readonly { names: readonly string[]; load: () => Promise<Register> }[] = [
  { names: ['config'], load: async () => (await import('./commands/config.js')).registerConfigCommand },
  { names: ['migrate'], load: async () => (await import('./commands/migrate.js')).registerMigrateCommand },
  { names: ['load'], load: async () => (await import('./commands/load.js')).registerLoadCommand },
  { names: ['db'], load: async () => (await import('./commands/db.js')).registerDbCommand },
  {
    names: ['new', 'generate'],
    load: async () => (await import('./commands/scaffold-commands.js')).registerScaffoldCommands,
  },
  { names: ['demo'], load: async () => (await import('./commands/demo.js')).registerDemoCommand },
];

/** Global options that take a value (`--config FILE`), so their value is not taken for the command. */
const GLOBAL_WITH_VALUE = new Set(['--database-url', '--config']);

/** The top-level command named by `argv`, or undefined (none, `help`, a typo: then every command is loaded). */
function commandOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (GLOBAL_WITH_VALUE.has(arg)) {
      i++;
      continue;
    }
    if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/** Where a finished action leaves its context, so `runCli` can read the exit code. */
export interface ProgramState {
  context?: CliContext;
}

/**
 * Builds the `tenon` command tree. Output goes through `io`, commander's
 * own exits are turned into exceptions, and every command's action runs
 * with a {@link CliContext}. With `argv`, only the command it names is
 * loaded (all of them for `--help`, `help` or an unknown name, so help
 * and suggestions stay complete).
 */
export async function createProgram(
  io: CliIo,
  state: ProgramState,
  argv: readonly string[] = [],
): Promise<Command> {
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

  const name = commandOf(argv);
  const named = COMMANDS.filter((c) => name !== undefined && c.names.includes(name));
  // `tenon --version` needs no command at all.
  const versionOnly =
    name === undefined && argv.length > 0 && argv.every((a) => a === '--version' || a === '-V');
  const chosen = versionOnly ? [] : named.length > 0 ? named : COMMANDS;
  const registers = await Promise.all(chosen.map((c) => c.load()));
  for (const register of registers) register(program, action);
  return program;
}
