import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runTenon } from '../support/cli.js';

// The V8 flag setter, recorded instead of changing this test process's V8.
const { setFlagsFromString } = vi.hoisted(() => ({ setFlagsFromString: vi.fn() }));
vi.mock('node:v8', async (original) => ({
  ...(await original<typeof import('node:v8')>()),
  setFlagsFromString,
}));

describe('migrate commands compile WebAssembly with V8’s baseline compiler only (--liftoff-only)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tenon-liftoff-'));
    setFlagsFromString.mockClear();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // PGlite runs PostgreSQL itself as WebAssembly, so V8 is left alone for it.
  it.each([
    ['sets it for a server database', 'postgres://tenon@127.0.0.1:5432/tenon', [['--liftoff-only']]],
    ['leaves V8 alone for PGlite', 'pglite://memory', []],
  ])('%s', async (_name, databaseUrl, expected) => {
    const run = await runTenon(['migrate', 'create', 'first', '--dir', dir, '--database-url', databaseUrl]);
    expect(run.code, run.stderr).toBe(0);
    expect(setFlagsFromString.mock.calls).toEqual(expected);
  });

  it('names a flag this Node’s V8 knows (setFlagsFromString ignores unknown ones silently)', () => {
    // On the command line an unknown V8 flag is an error: Node refuses to start.
    const run = spawnSync(process.execPath, ['--liftoff-only', '-e', '0'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const bogus = spawnSync(process.execPath, ['--liftoff-only-not-a-flag', '-e', '0'], { encoding: 'utf8' });
    expect(bogus.status).not.toBe(0);
  });
});
