import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The command as a user runs it, in processes of its own (grants.test.ts tests what a grant does and
// the policy's rules in-process).
describe('npm run grant', () => {
  // Its own embedded database: migrated, with an admin made by create-admin, as a user would.
  const dir = mkdtempSync(join(tmpdir(), 'grant-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (script: string, args: string[], input = '') =>
    spawnSync(process.execPath, ['--import', 'tsx', `src/${script}.ts`, ...args], {
      encoding: 'utf8',
      input,
      env: { ...process.env, PGLITE_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
    });

  it('needs an email and a role or scope', () => {
    const res = run('grant', ['someone@example.test']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/usage: npm run grant -- <email> <role\|scope>/);
  });

  // Four processes, each loading tsx and PGlite: slow on a busy machine.
  it('changes the role of an account made by create-admin, and says when there is no such account', { timeout: 180_000 }, () => {
    expect(run('migrate', []).status).toBe(0);
    expect(run('create-admin', ['--email', 'root@example.test'], 'a long passphrase here\n').status).toBe(0);
    const res = run('grant', ['root@example.test', 'user']);
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/root@example.test: role user; scopes/);
    const missing = run('grant', ['nobody@example.test', 'admin']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/No user has the email nobody@example.test/);
    // A misspelt name is refused with the names there are.
    const unknown = run('grant', ['root@example.test', 'admn']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/"admn" is neither a role nor a scope of this API \(known: admin, user\b/);
    // While another process holds the embedded database (the server), grant is refused and says what to stop.
    writeFileSync(join(dir, 'tenon.lock'), JSON.stringify({ pid: process.pid, hostname: hostname(), since: new Date().toISOString() }));
    const locked = run('grant', ['root@example.test', 'admin']);
    rmSync(join(dir, 'tenon.lock'));
    expect(locked.status).toBe(1);
    expect(locked.stderr).toMatch(new RegExp(`in use by process ${process.pid}\\b.*npm run grant\\)`));
  });
});
