import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { createProgram } from '../../src/cli/program.js';

const io: CliIo = {
  stdout: { write: () => true },
  stderr: { write: () => true },
  stdoutIsTTY: false,
  stderrIsTTY: false,
  columns: 100,
  env: {},
  cwd: process.cwd(),
  signal: new AbortController().signal,
};

const names = async (argv: string[]) => (await createProgram(io, {}, argv)).commands.map((c) => c.name());
const ALL = ['config', 'migrate', 'load', 'db', 'new', 'generate', 'demo'];

describe('createProgram loads only the command argv names', () => {
  it.each([
    [['migrate', 'status'], ['migrate']],
    [['--database-url', 'postgres://x/y', '--json', 'migrate', 'up'], ['migrate']],
    [['--config', 'migrate', 'db', 'analyze'], ['db']],
    [['generate'], ['new', 'generate']],
    [['--version'], []],
    [[], ALL],
    [['--help'], ALL],
    [['help', 'migrate'], ALL],
    [['migrat'], ALL],
  ])('%j → %j', async (argv, expected) => {
    expect(await names(argv)).toEqual(expected);
  });
});
