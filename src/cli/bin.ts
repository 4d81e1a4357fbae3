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

process.exitCode = await runCli(process.argv.slice(2), processIo(controller.signal));
