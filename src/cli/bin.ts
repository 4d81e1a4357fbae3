#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of every module tenon loads on disk (the OS temp dir), so a
// command's start-up does not recompile the same few hundred modules each time (Node 20: no-op).
// `NODE_DISABLE_COMPILE_CACHE=1` turns it off. Before the imports below, which it speeds up.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // `tenon --version` needs no command and not even commander (most of what the CLI loads before
  // a command): answered here, in commander's format (`createProgram` answers it when other flags
  // come with it). A reader gone (`tenon -V | true`) is no error of tenon's.
  const { tenonVersion } = await import('../core/version.js');
  process.stdout.on('error', () => undefined);
  process.stdout.write(`${tenonVersion()}\n`);
} else {
  await runTenon(argv);
}

async function runTenon(args: string[]): Promise<void> {
  // Before any module that builds a zod schema (zod reads the setting when a schema is built).
  await import('./zod-jitless.js');
  const { processIo } = await import('./cli-io.js');
  const { runCli } = await import('./run-cli.js');

  const controller = new AbortController();
  let interrupts = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      interrupts++;
      // First Ctrl-C: let the command clean up (stop servers, release locks). Second: leave now.
      if (interrupts > 1) process.exit(130);
      controller.abort(new Error(`received ${signal}`));
    });
  }

  // A reader that goes away (`tenon config | head`) is not an error of tenon's: stop writing and
  // leave quietly, as other Unix tools do, instead of printing an unhandled EPIPE stack.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') {
        controller.abort(new Error('output closed'));
        process.exit(process.exitCode ?? 0);
      }
      throw error;
    });
  }

  process.exitCode = await runCli(args, processIo(controller.signal));
}
