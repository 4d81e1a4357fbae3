import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BASELINE_COMPILER_FLAGS } from '../../src/cli/baseline-compilers.js';
import { runTenon } from '../support/cli.js';

// The V8 flag setter, recorded instead of changing this test process's V8.
const { setFlagsFromString } = vi.hoisted(() => ({ setFlagsFromString: vi.fn() }));
vi.mock('node:v8', async (original) => ({
  ...(await original<typeof import('node:v8')>()),
  setFlagsFromString,
}));

describe('migrate commands keep V8 at its baseline compilers (--liftoff-only, --no-opt)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tenon-baseline-'));
    setFlagsFromString.mockClear();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // PGlite runs PostgreSQL itself as WebAssembly, so V8 is left alone for it.
  it.each([
    [
      'sets them for a server database',
      'postgres://tenon@127.0.0.1:5432/tenon',
      [['--liftoff-only'], ['--no-opt']],
    ],
    ['leaves V8 alone for PGlite', 'pglite://memory', []],
  ])('%s', async (_name, databaseUrl, expected) => {
    const run = await runTenon(['migrate', 'create', 'first', '--dir', dir, '--database-url', databaseUrl]);
    expect(run.code, run.stderr).toBe(0);
    expect(setFlagsFromString.mock.calls).toEqual(expected);
  });

  it.each(BASELINE_COMPILER_FLAGS)(
    'names a flag this Node’s V8 knows: %s (setFlagsFromString ignores unknown ones silently)',
    (flag) => {
      // On the command line an unknown V8 flag is an error: Node refuses to start.
      const run = spawnSync(process.execPath, [flag, '-e', '0'], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const bogus = spawnSync(process.execPath, [`${flag}-not-a-flag`, '-e', '0'], { encoding: 'utf8' });
      expect(bogus.status).not.toBe(0);
    },
  );

  it('--no-opt set at run time keeps a function out of the optimizing compiler', () => {
    // What the CLI does (the flag set after start-up), in a process of its own: a function that V8
    // is told to optimize on its next call is optimized without the flag and not with it.
    const script = `
      const v8 = require('node:v8');
      v8.setFlagsFromString('--allow-natives-syntax');
      if (process.argv[1] === 'baseline') v8.setFlagsFromString('--no-opt');
      const natives = (call) => new Function('f', call + '(f)');
      const [prepare, optimizeNext, status] = ['%PrepareFunctionForOptimization', '%OptimizeFunctionOnNextCall', 'return %GetOptimizationStatus'].map(natives);
      function sum(a) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * 2; return s; }
      prepare(sum); sum([1, 2]); sum([3, 4]); optimizeNext(sum); sum([5, 6]);
      // Bit 16 of the status: optimized (V8's OptimizationStatus::kOptimized).
      process.stdout.write(String((status(sum) & 16) !== 0));`;
    const optimized = (mode: string) =>
      spawnSync(process.execPath, ['-e', script, mode], { encoding: 'utf8' }).stdout;
    expect(optimized('default')).toBe('true');
    expect(optimized('baseline')).toBe('false');
  });
});
