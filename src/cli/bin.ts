#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

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

process.exitCode = await runCli(process.argv.slice(2), processIo(controller.signal));
