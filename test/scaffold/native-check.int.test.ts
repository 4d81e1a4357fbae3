import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';

/**
 * argon2's prebuilt binary (0.45, Node-API 10) crashes Node.js 20.20.2 with SIGSEGV as it loads:
 * `npm start` of a project installed under Node.js 24 and run under Node.js 20 ended without a
 * word. The generated project loads its native modules in a child process before `dev`, `start`,
 * `test` and `create-admin` (scripts/native-check.mjs) and says what to do. Here the check runs
 * against a stand-in argon2 that dies as the real one does, and one that loads.
 */
describe('generated project: the native-module check before the scripts that load argon2', () => {
  const work = mkdtempSync(join(tmpdir(), 'tenon-native-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const project = join(work, 'app');
  const check = (argon2: string) => {
    mkdirSync(join(project, 'node_modules/argon2'), { recursive: true });
    writeFileSync(join(project, 'node_modules/argon2/package.json'), '{"name":"argon2","main":"index.js"}');
    writeFileSync(join(project, 'node_modules/argon2/index.js'), argon2);
    return spawnSync(process.execPath, ['scripts/native-check.mjs'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 60_000,
    });
  };

  it('runs before dev, start, test and create-admin', async () => {
    await generateProject({
      mode: 'new',
      dir: 'app',
      resources: 'Note(text:string)',
      cwd: work,
      now: new Date('2026-01-01'),
    });
    const scripts = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    for (const name of ['predev', 'prestart', 'pretest', 'precreate-admin'])
      expect(scripts[name]).toMatch(/^node scripts\/native-check\.mjs\b/);
  });

  it('stops with a hint when loading argon2 kills the process', () => {
    const died = check("process.kill(process.pid, 'SIGSEGV');");
    expect(died.status).toBe(1);
    expect(died.stderr).toMatch(
      /^argon2 cannot be loaded by this Node\.js \(v[\d.]+, Node-API \d+\): a process loading it died with SIGSEGV\./,
    );
    expect(died.stderr).toContain('Run `npm rebuild argon2` with this Node.js');
  });

  it('names the error of a module that throws, and passes one that loads', () => {
    const threw = check("throw new Error('Module did not self-register');");
    expect(threw.status).toBe(1);
    expect(threw.stderr).toMatch(/a process loading it failed: Error: Module did not self-register\./);
    const loads = check('module.exports = {};');
    expect(loads.status).toBe(0);
    expect(loads.stderr).toBe('');
  });
});
