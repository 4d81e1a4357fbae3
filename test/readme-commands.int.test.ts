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
 *
 * A `text output` block right after a runnable one is what it printed, and
 * is checked: its lines must be consecutive lines of the output (stdout,
 * then stderr), except where a line is just `…` (any lines left out); a `…`
 * inside a line stands for any text (a temporary path), and 14-digit
 * migration versions match any version. So the counts the README shows
 * (files written, settings, resources) stay true.
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const fences = [...readme.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({
  info: m[1]!.trim(),
  body: m[2]!,
  start: m.index!,
  end: m.index! + m[0].length,
}));
const blocks = fences
  .map((fence, i) => ({ fence, next: fences[i + 1] }))
  .filter(({ fence }) => fence.info.startsWith('sh runnable'))
  .map(({ fence, next }, index) => ({
    index,
    expectedExit: Number(/exit=(\d+)/.exec(fence.info)?.[1] ?? 0),
    script: fence.body,
    output:
      next?.info === 'text output' && readme.slice(fence.end, next.start).trim() === ''
        ? next.body
        : undefined,
  }));

const VERSION = /\d{14}/g;

function lineMatcher(expected: string): RegExp {
  const parts = expected.replace(VERSION, '\u0000').split('…');
  const literal = (text: string) =>
    text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('\u0000', '\\d{14}');
  return new RegExp(`^${parts.map(literal).join('.*')}$`);
}

/** Where `expected` (with `…` gaps) fails to match `actual`, or null when it matches. */
function outputMismatch(expected: string, actual: string): string | null {
  const want = expected
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);
  const have = actual
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);
  let at = 0;
  let gap = false;
  for (const line of want) {
    if (line === '…') {
      gap = true;
      continue;
    }
    const matcher = lineMatcher(line);
    let found = -1;
    if (gap) found = have.findIndex((l, i) => i >= at && matcher.test(l));
    else if (at < have.length && matcher.test(have[at]!)) found = at;
    if (found === -1) return `expected ${gap ? 'somewhere after' : 'at'} output line ${at + 1}: ${line}`;
    at = found + 1;
    gap = false;
  }
  return null;
}

describe('README commands', () => {
  const work = mkdtempSync(join(tmpdir(), 'tenon-readme-'));
  const bin = join(work, '.bin');
  mkdirSync(bin);
  const shim = join(bin, 'tenon');
  writeFileSync(shim, `#!/bin/sh\nexec ${TENON_COMMAND.map((part) => `'${part}'`).join(' ')} "$@"\n`);
  chmodSync(shim, 0o755);

  it('has runnable examples, and outputs to check', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.filter((b) => b.output !== undefined).length).toBeGreaterThanOrEqual(5);
  });

  it('checks outputs by consecutive lines, with … for what is left out', () => {
    expect(outputMismatch('a\nb', 'a\nb\nc')).toBeNull();
    expect(outputMismatch('a\nc', 'a\nb\nc')).toMatch(/at output line 2: c/);
    expect(outputMismatch('a\n…\nc', 'a\nb\nc')).toBeNull();
    expect(outputMismatch('file /tmp/…/x does not exist', 'file /tmp/abc/x does not exist')).toBeNull();
    expect(outputMismatch('m 20261126075426_x.sql', 'm 20990101000000_x.sql')).toBeNull();
    expect(outputMismatch('files: 69 create', 'files: 82 create')).not.toBeNull();
  });

  it.each(blocks)(
    'block $index runs as shown',
    ({ script, expectedExit, output }) => {
      // --norc: Debian's bash reads /etc/bash.bashrc when stdin is a socket (libuv's pipes are), which fails under -u.
      const result = spawnSync('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', script], {
        cwd: work,
        env: { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME, NO_COLOR: '1' },
        encoding: 'utf8',
        // A block starts several tenon processes (and PGlite); a busy shared machine makes that slow.
        timeout: 120_000,
      });
      expect({ exit: result.status, stderr: result.stderr }).toMatchObject({ exit: expectedExit });
      if (output !== undefined) {
        expect(
          outputMismatch(output, `${result.stdout}\n${result.stderr}`),
          result.stdout + result.stderr,
        ).toBeNull();
      }
    },
    150_000,
  );
});
