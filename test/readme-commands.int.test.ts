import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TENON_COMMAND } from './support/cli.js';

/**
 * Runs every fenced block in README.md whose info string is `sh runnable`
 * (optionally `sh runnable exit=N` for a block expected to fail), in order,
 * in one scratch directory with `tenon` on PATH and no database configured
 * (so PGlite in .tenon/pglite). What the README shows must really work.
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/^```sh runnable([^\n]*)\n([\s\S]*?)^```$/gm)].map((m, index) => ({
  index,
  expectedExit: Number(/exit=(\d+)/.exec(m[1] ?? '')?.[1] ?? 0),
  script: m[2]!,
}));

describe('README commands', () => {
  const work = mkdtempSync(join(tmpdir(), 'tenon-readme-'));
  const bin = join(work, '.bin');
  mkdirSync(bin);
  const shim = join(bin, 'tenon');
  writeFileSync(shim, `#!/bin/sh\nexec ${TENON_COMMAND.map((part) => `'${part}'`).join(' ')} "$@"\n`);
  chmodSync(shim, 0o755);

  it('has runnable examples', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks)('block $index runs as shown', ({ script, expectedExit }) => {
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: work,
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ exit: result.status, stderr: result.stderr }).toMatchObject({ exit: expectedExit });
  });
});
