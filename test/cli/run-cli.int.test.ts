import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tenonVersion } from '../../src/core/version.js';
import { runTenon, spawnTenon, spawnTenonAndWait } from '../support/cli.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tenon-cli-'));
}

describe('tenon CLI basics', () => {
  it('prints its version from package.json', async () => {
    const run = await runTenon(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${tenonVersion()}\n` });
  });

  it('prints help with the global flags', async () => {
    const run = await runTenon(['--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--database-url', '--config', '--json', '--verbose', '--no-color'])
      expect(run.stdout).toContain(flag);
  });

  it('rejects an unknown flag with exit 2, a code, a suggestion and a hint', async () => {
    const run = await runTenon(['config', '--jsno']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('TENON_CLI_USAGE');
    expect(run.stderr).toContain("unknown option '--jsno'");
    expect(run.stderr).toContain('--json');
    expect(run.stderr).toMatch(/hint: Run 'tenon config --help'/);
    expect(run.stdout).toBe('');
  });

  it('rejects an unknown command', async () => {
    const run = await runTenon(['migrat']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'migrat'/);
  });

  it('prints errors as JSON on stdout with --json', async () => {
    const run = await runTenon(['config', '--json', '--config', 'does-not-exist.yaml'], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'TENON_CONFIG_NOT_FOUND' } });
  });

  it('never shows a stack trace without --verbose, and does with it', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'tenon.config.json'), '{ "migrate": ');
    const quiet = await runTenon(['config'], { cwd });
    expect(quiet.code).toBe(2);
    expect(quiet.stderr).toContain('TENON_CONFIG_PARSE_FAILED');
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const verbose = await runTenon(['config', '--verbose'], { cwd });
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('colors only on a terminal, and never with --no-color or NO_COLOR', async () => {
    const cwd = tempDir();
    const plain = await runTenon(['config', '--config', 'missing.json'], { cwd });
    expect(plain.stderr).not.toContain('\x1b[');
    const tty = await runTenon(['config', '--config', 'missing.json'], { cwd, tty: true });
    expect(tty.stderr).toContain('\x1b[');
    const flag = await runTenon(['config', '--config', 'missing.json', '--no-color'], { cwd, tty: true });
    expect(flag.stderr).not.toContain('\x1b[');
    const env = await runTenon(['config', '--config', 'missing.json'], {
      cwd,
      tty: true,
      env: { NO_COLOR: '1' },
    });
    expect(env.stderr).not.toContain('\x1b[');
  });

  it('works as a real process with real exit codes', async () => {
    const ok = await spawnTenonAndWait(['--version']);
    expect(ok).toMatchObject({ code: 0, stdout: `${tenonVersion()}\n` });
    const bad = await spawnTenonAndWait(['--nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('TENON_CLI_USAGE');
  });
});

describe('configuration precedence: flags > environment > file > defaults', () => {
  async function resolved(args: string[], options: Parameters<typeof runTenon>[1]) {
    const run = await runTenon(['config', '--json', ...args], options);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as {
      configFile: string | null;
      config: { databaseUrl?: string; migrate: Record<string, unknown> };
    };
  }

  it('uses defaults with nothing set', async () => {
    const { config, configFile } = await resolved([], { cwd: tempDir() });
    expect(configFile).toBeNull();
    expect(config.migrate).toMatchObject({
      dir: 'migrations',
      table: 'tenon_migrations',
      lockTimeout: 5000,
      lockWait: 60000,
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('layers file < environment < flags', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'tenon.config.yaml'),
      'databaseUrl: postgres://file@h/db\nmigrate:\n  dir: from-file\n  lockTimeout: 1s\n  table: file_table\n',
    );
    const fileOnly = await resolved([], { cwd });
    expect(fileOnly.config.migrate).toMatchObject({
      dir: 'from-file',
      lockTimeout: 1000,
      table: 'file_table',
    });
    expect(fileOnly.config.databaseUrl).toBe('postgres://file@h/db');

    const env = { TENON_MIGRATE_LOCK_TIMEOUT: '2s', DATABASE_URL: 'postgres://env@h/db' };
    const withEnv = await resolved([], { cwd, env });
    expect(withEnv.config.migrate).toMatchObject({ dir: 'from-file', lockTimeout: 2000 });
    expect(withEnv.config.databaseUrl).toBe('postgres://env@h/db');

    const withFlag = await resolved(['--database-url', 'pglite://memory'], { cwd, env });
    expect(withFlag.config.databaseUrl).toBe('pglite://memory');
    expect(withFlag.config.migrate.lockTimeout).toBe(2000);
  });

  it('finds the file given by --config or TENON_CONFIG', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'custom.json'), JSON.stringify({ migrate: { dir: 'custom' } }));
    expect((await resolved(['--config', 'custom.json'], { cwd })).config.migrate.dir).toBe('custom');
    expect((await resolved([], { cwd, env: { TENON_CONFIG: 'custom.json' } })).config.migrate.dir).toBe(
      'custom',
    );
  });

  it('names an invalid value, where it came from and what is allowed', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'tenon.config.json'),
      JSON.stringify({ migrate: { lockTimeout: 'soon', tabel: 'x' }, extra: 1 }),
    );
    const run = await runTenon(['config'], { cwd, env: { TENON_MIGRATE_LOCK_WAIT: '-3s' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('TENON_CONFIG_INVALID');
    expect(run.stderr).toMatch(/migrate\.lockTimeout \(from .*tenon\.config\.json\): expected a duration/);
    expect(run.stderr).toMatch(/migrate\.tabel .*unknown key; allowed: dir, table/);
    expect(run.stderr).toMatch(/extra .*unknown key; allowed: databaseUrl, migrate/);
    expect(run.stderr).toMatch(/migrate\.lockWait \(from environment variable TENON_MIGRATE_LOCK_WAIT\)/);
  });
});

describe('the CLI as a process', () => {
  it('runs from any working directory', async () => {
    const run = await spawnTenonAndWait(['config', '--json'], { cwd: tempDir() });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).configFile).toBeNull();
  });

  it('leaves quietly when its reader is gone (`(true; tenon config) | head -1`)', async () => {
    const child = spawnTenon(['config'], { cwd: tempDir() });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += String(c)));
    // The reader closes the pipe before tenon writes, as `head` does once it has its line: writes get EPIPE.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/EPIPE|Unhandled/) });
  });
});
