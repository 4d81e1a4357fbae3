import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationDir } from '../migrate/support.js';
import { runTenon } from '../support/cli.js';
import { createTempDatabase, requirePostgres, type TempDatabase } from '../support/services.js';

const server = await requirePostgres();

const dir = migrationDir();
const cwd = mkdtempSync(join(tmpdir(), 'tenon-lint-'));
dir.write('20260101000001_create', {
  up: 'create table orders (id bigint primary key, total int);',
  down: 'drop table orders;',
});
dir.write('20260101000002_index', { up: 'create index orders_total on orders (total);', down: '' });
dir.write('20260101000003_users', {
  up: "alter table users add column plan text;\nupdate users set plan = 'free';",
  down: 'alter table users drop column plan;',
});
afterAll(() => {
  dir.remove();
  rmSync(cwd, { recursive: true, force: true });
});

describe('tenon migrate lint', () => {
  it('prints a table and exits 1 on an error finding; --fail-on never exits 0; no database is opened', async () => {
    const run = await runTenon(['migrate', 'lint', '--dir', dir.dir], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^location +severity +rule +message +fix\n/);
    expect(run.stdout).toContain('20260101000003_users.sql:3:1');
    expect(run.stdout).toContain('exclusive-lock-held');
    expect(run.stdout).toContain(
      '2 findings: 1 error, 0 warnings, 1 info in 3 migrations (all files), 4 statements.',
    );
    expect(run.stdout).toContain('1 left out: about tables created earlier in the linted set');
    expect(run.stderr).toContain('lint failed: 1 finding at error or above (--fail-on).');
    const never = await runTenon(['migrate', 'lint', '--dir', dir.dir, '--fail-on', 'never'], { cwd });
    expect(never.code).toBe(0);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(cwd, '.tenon'))).toBe(false);
  });

  it('--json is one tenon.migrate.lint/v1 document; FILES and --disable narrow it', async () => {
    const run = await runTenon(
      [
        'migrate',
        'lint',
        join(dir.dir, '20260101000003_users.sql'),
        '--json',
        '--disable',
        'exclusive-lock-held',
      ],
      { cwd },
    );
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as Record<string, unknown> & { findings: { rule: string }[] };
    expect(doc).toMatchObject({
      schema: 'tenon.migrate.lint/v1',
      scope: 'files',
      database: null,
      serverVersion: 130000,
      files: 1,
      failOn: 'error',
      failed: false,
      counts: { error: 0, warning: 0, info: 0 },
    });
    expect(doc.findings).toEqual([]);
  });

  it('--format sarif writes SARIF 2.1.0 with paths relative to the working directory', async () => {
    const run = await runTenon(
      ['migrate', 'lint', '--dir', dir.dir, '--format', 'sarif', '--pg-version', '15'],
      {
        cwd: dir.dir,
      },
    );
    const sarif = JSON.parse(run.stdout) as {
      version: string;
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(
      sarif.runs[0]!.results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.artifactLocation.uri]),
    ).toEqual([
      ['prefer-bigint', '20260101000001_create.sql'],
      ['exclusive-lock-held', '20260101000003_users.sql'],
    ]);
  });

  it('exits 2 on a file the parser rejects (and still lints the rest), and on an unknown rule', async () => {
    const bad = join(cwd, 'bad.sql');
    writeFileSync(bad, 'alter tabel users;\n');
    const run = await runTenon(['migrate', 'lint', bad, join(dir.dir, '20260101000003_users.sql')], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('TENON_SQL_PARSE_FAILED');
    expect(run.stderr).toContain('bad.sql:1:');
    expect(run.stdout).toContain('exclusive-lock-held');
    const rule = await runTenon(['migrate', 'lint', '--dir', dir.dir, '--disable', 'no-such-rule'], { cwd });
    expect(rule.code).toBe(2);
    expect(rule.stderr).toContain('Unknown lint rule: no-such-rule.');
  });

  it('config: lintSeverity and lintDisable from the environment', async () => {
    const run = await runTenon(['migrate', 'lint', '--dir', dir.dir, '--json'], {
      cwd,
      env: {
        TENON_MIGRATE_LINT_SEVERITY: 'exclusive-lock-held=warning',
        TENON_MIGRATE_LINT_DISABLE: 'prefer-bigint',
      },
    });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { findings: { rule: string; severity: string }[] };
    expect(doc.findings.map((f) => [f.rule, f.severity])).toEqual([['exclusive-lock-held', 'warning']]);
  });
});

describe.skipIf(!server.available)(`tenon migrate lint with --database-url ${server.reason}`, () => {
  let temp: TempDatabase;
  beforeAll(async () => {
    temp = await createTempDatabase();
  });
  afterAll(async () => {
    await temp?.drop();
  });

  it('lints the pending migrations only, and up --lint error refuses them', async () => {
    const env = { DATABASE_URL: temp.url };
    const up = await runTenon(['migrate', 'up', '--dir', dir.dir, '--to', '20260101000002'], { cwd, env });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('lint found 1 problem in the pending migrations (migrate.lintOnUp: warn)');
    const lint = await runTenon(['migrate', 'lint', '--dir', dir.dir, '--json'], { cwd, env });
    const doc = JSON.parse(lint.stdout) as { scope: string; linted: string[]; live: boolean };
    expect(doc).toMatchObject({ scope: 'pending', live: true });
    expect(doc.linted.map((f) => f.split('/').pop())).toEqual(['20260101000003_users.sql']);
    const strict = await runTenon(['migrate', 'up', '--dir', dir.dir, '--lint', 'error'], { cwd, env });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('TENON_MIGRATE_LINT_FAILED');
  });
});
