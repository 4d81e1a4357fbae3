import { CommanderError } from 'commander';
import { TenonError, toTenonError } from '../core/errors.js';
import { CliContext, type GlobalOptions } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { ExitCode, exitCodeForKind } from './exit-codes.js';
import { renderError } from './output/render-error.js';
import { createProgram, type ProgramState } from './program.js';

/** Reads the global flags from argv without commander, for errors raised before an action runs. */
function sniffGlobals(argv: readonly string[]): GlobalOptions {
  return {
    json: argv.includes('--json'),
    verbose: argv.includes('--verbose'),
    color: !argv.includes('--no-color'),
  };
}

function usageError(error: CommanderError, argv: readonly string[]): TenonError {
  const message = error.message.replace(/^error:\s*/, '');
  const commandPath = argv
    .filter((a) => !a.startsWith('-'))
    .slice(0, 2)
    .join(' ');
  return new TenonError('TENON_CLI_USAGE', message, {
    cause: error,
    hint: `Run 'tenon ${commandPath ? `${commandPath} ` : ''}--help' to see the commands and flags.`,
    details: { commanderCode: error.code },
  });
}

/**
 * Runs the tenon CLI with `argv` (without `node` and the script) and returns
 * the exit code. Never calls `process.exit`, so tests run it in process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const state: ProgramState = {};
  try {
    const program = await createProgram(io, state, argv);
    if (argv.length === 0) {
      io.stdout.write(program.helpInformation());
      return ExitCode.ok;
    }
    await program.parseAsync([...argv], { from: 'user' });
    if (io.signal.aborted) return ExitCode.interrupted;
    return state.context?.exitCode ?? ExitCode.ok;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      if (thrown.exitCode === 0) return ExitCode.ok;
      if (thrown.code === 'commander.help' || thrown.code === 'commander.helpDisplayed') return ExitCode.ok;
    }
    const error =
      thrown instanceof CommanderError
        ? usageError(thrown, argv)
        : io.signal.aborted && !(thrown instanceof TenonError)
          ? new TenonError('TENON_INTERRUPTED', 'Interrupted.', { cause: thrown })
          : toTenonError(thrown);
    const context = state.context ?? new CliContext(io, sniffGlobals(argv));
    if (context.json) context.writeJson('tenon.error/v1', { error: error.toJSON() });
    context.err(renderError(error, context.colors, context.verbose));
    if (error.code === 'TENON_INTERRUPTED') return ExitCode.interrupted;
    return exitCodeForKind(error.kind);
  }
}
