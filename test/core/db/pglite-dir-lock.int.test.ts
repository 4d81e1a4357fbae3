import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { lockPgliteDir } from '../../../src/core/db/pglite-dir-lock.js';
import { isTenonError, type TenonError } from '../../../src/core/errors.js';
import { TSX_LOADER } from '../../support/cli.js';

const CHILD = fileURLToPath(new URL('../../support/pglite-lock-child.ts', import.meta.url));
const children = new Set<ChildProcess>();
const dirs: string[] = [];

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function child(...args: string[]): ChildProcess {
  const proc = spawn(process.execPath, ['--import', TSX_LOADER, CHILD, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  return proc;
}

/** Resolves when the child prints `line`; rejects when it exits first. */
function printed(proc: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr?.on('data', (chunk: Buffer) => (err += chunk));
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk;
      if (out.split('\n').includes(line)) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`child exited (${code}) before printing ${line}: ${err}`)));
  });
}

function exited(proc: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve) => proc.once('exit', (code) => resolve({ code, stderr })));
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenon-lock-'));
  dirs.push(dir);
  return dir;
}

/**
 * Starts `n` processes that all want the lock at once and checks that they
 * held it one after the other: the log alternates enter/leave of one pid,
 * and none of the slow increments inside the lock was lost.
 */
async function race(dir: string, n: number): Promise<void> {
  const log = join(dir, 'race.log');
  writeFileSync(log, '');
  rmSync(`${log}.go`, { force: true });
  const contenders = Array.from({ length: n }, () => child('contend', dir, log, '30'));
  const runs = contenders.map(exited);
  await Promise.all(contenders.map((c) => printed(c, 'ready')));
  writeFileSync(`${log}.go`, '');
  const results = await Promise.all(runs);
  rmSync(`${log}.go`);
  for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(2 * n);
  for (let i = 0; i < lines.length; i += 2) {
    const [enter, leave] = [lines[i]!.split(' '), lines[i + 1]!.split(' ')];
    expect([enter[0], leave[0]]).toEqual(['enter', 'leave']);
    expect(leave[1]).toBe(enter[1]);
  }
  expect(new Set(lines.map((l) => l.split(' ')[1])).size).toBe(n);
  expect(readFileSync(join(dir, 'counter'), 'utf8')).toBe(String(n));
  // Nothing is left behind: no lock, no temporary file, no break file.
  expect(readdirSync(dir).sort()).toEqual(['counter', 'race.log']);
}

async function lockError(dir: string): Promise<TenonError> {
  const error = await lockPgliteDir(dir).then(
    (unlock) => {
      unlock();
      return undefined;
    },
    (e: unknown) => e,
  );
  if (!isTenonError(error)) throw new Error(`expected TENON_DB_PGLITE_LOCKED, got ${String(error)}`);
  return error;
}

describe('PGlite directory lock across processes', () => {
  it('processes racing for a free directory hold it one at a time', async () => {
    await race(tempDir(), 6);
  });

  it('a lock left by a killed process is taken over by exactly one of the racers at a time', async () => {
    const dir = tempDir();
    const holder = child('hold', dir);
    await printed(holder, 'locked');
    // While it lives, others are refused, with its pid.
    const refused = await lockError(dir);
    expect(refused.code).toBe('TENON_DB_PGLITE_LOCKED');
    expect(refused.details.pid).toBe(holder.pid);
    holder.kill('SIGKILL');
    await exited(holder);
    expect(JSON.parse(readFileSync(join(dir, 'tenon.lock'), 'utf8')).pid).toBe(holder.pid);
    await race(dir, 6);
  });

  it('a stale record (dead pid) is broken by one racer only, round after round', async () => {
    const dir = tempDir();
    for (let round = 0; round < 3; round++) {
      writeFileSync(
        join(dir, 'tenon.lock'),
        JSON.stringify({ pid: 2 ** 30, hostname: hostname(), since: '' }),
      );
      rmSync(join(dir, 'counter'), { force: true });
      await race(dir, 6);
    }
  });

  it('a half-written lock file of a live process is not taken: its record is waited for', async () => {
    const dir = tempDir();
    // An older tenon creates the file empty and writes its record a moment later.
    const writer = child('half-write', dir, '300');
    await printed(writer, 'created');
    const error = await lockError(dir);
    expect(error.code).toBe('TENON_DB_PGLITE_LOCKED');
    expect(error.details.pid).toBe(writer.pid);
    expect(JSON.parse(readFileSync(join(dir, 'tenon.lock'), 'utf8')).pid).toBe(writer.pid);
  });

  it('a half-written lock file older than the grace (its writer died) is taken over by racing processes', async () => {
    const dir = tempDir();
    const path = join(dir, 'tenon.lock');
    writeFileSync(path, '{"pid":12');
    const past = new Date(Date.now() - 60_000);
    utimesSync(path, past, past);
    await race(dir, 4);
  });

  it('a record with our own pid but not our token (a restarted container) is stale', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'tenon.lock'),
      JSON.stringify({ pid: process.pid, hostname: hostname(), since: '', token: 'earlier' }),
    );
    const unlock = await lockPgliteDir(dir);
    try {
      // A second open in this same process is refused.
      expect((await lockError(dir)).message).toMatch(/this process/);
    } finally {
      unlock();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('release removes only its own record', async () => {
    const dir = tempDir();
    const unlock = await lockPgliteDir(dir);
    const other = JSON.stringify({ pid: 1, hostname: 'elsewhere', since: '', token: 'x' });
    writeFileSync(join(dir, 'tenon.lock'), other);
    unlock();
    expect(readFileSync(join(dir, 'tenon.lock'), 'utf8')).toBe(other);
    // A lock from another machine cannot be checked: refused, with a hint to delete it if that machine is gone.
    const error = await lockError(dir);
    expect(error.message).toMatch(/process 1 on elsewhere/);
    expect(error.hint).toContain(join(dir, 'tenon.lock'));
  });
});
