import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrationLockKey } from '../../src/migrate/index.js';
import { migrationDir, writeSteps } from '../migrate/support.js';
import { runTenon, spawnTenon } from '../support/cli.js';
import { createTempDatabase, requirePostgres, type TempDatabase } from '../support/services.js';

const server = await requirePostgres();

describe('tenon migrate: commands that need no database', () => {
  it('lists its subcommands and their flags', async () => {
    const help = await runTenon(['migrate', '--help']);
    expect(help.code).toBe(0);
    for (const sub of ['create', 'up', 'down', 'status', 'verify', 'baseline', 'repair']) {
      expect(help.stdout).toMatch(new RegExp(`\\n\\s+${sub}\\b`));
    }
    const up = await runTenon(['migrate', 'up', '--help']);
    for (const flag of [
      '--to',
      '--dry-run',
      '--dir',
      '--table',
      '--schema',
      '--lock-timeout',
      '--statement-timeout',
      '--lock-wait',
      '--lock-retries',
      '--allow-out-of-order',
    ]) {
      expect(up.stdout).toContain(flag);
    }
    const down = await runTenon(['migrate', 'down', '--help']);
    expect(down.stdout).toContain('--steps <n>');
  });

  it('create writes a file with both markers (text and --json)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tenon-cli-'));
    const text = await runTenon(['migrate', 'create', 'Create Users'], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Created migrations\/\d{14}_create_users\.sql\n$/);
    const json = await runTenon(['migrate', 'create', 'add_orders', '--dir', 'db/migrations', '--json'], {
      cwd,
    });
    const created = JSON.parse(json.stdout) as { version: string; name: string; file: string; path: string };
    expect(created).toMatchObject({ name: 'add_orders', file: `${created.version}_add_orders.sql` });
    expect(existsSync(join(cwd, 'db/migrations', created.file))).toBe(true);
    expect(existsSync(join(cwd, '.tenon'))).toBe(false);
    rmSync(cwd, { recursive: true, force: true });
  });

  it('usage errors exit 2 and name the flag', async () => {
    const badDuration = await runTenon(['migrate', 'status', '--lock-timeout', '5']);
    expect(badDuration.code).toBe(2);
    expect(badDuration.stderr).toContain('TENON_CONFIG_INVALID');
    expect(badDuration.stderr).toContain('migrate.lockTimeout (from --lock-timeout)');
    const badSteps = await runTenon(['migrate', 'down', '--steps', 'two']);
    expect(badSteps.code).toBe(2);
    expect(badSteps.stderr).toContain('--steps expects a whole number');
    const unknown = await runTenon(['migrate', 'up', '--to-version', '1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--to-version'");
    const both = await runTenon(['migrate', 'repair', '--retry', '--forget']);
    expect(both.code).toBe(2);
  });

  it('works with no database configured: PGlite in .tenon/pglite', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tenon-cli-'));
    const files = migrationDir();
    writeSteps(files, 2);
    const up = await runTenon(['migrate', 'up', '--dir', files.dir], { cwd });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('2 migrations applied');
    expect(existsSync(join(cwd, '.tenon/pglite'))).toBe(true);
    const status = await runTenon(['migrate', 'status', '--dir', files.dir, '--json'], { cwd });
    const doc = JSON.parse(status.stdout) as {
      database: string;
      kind: string;
      migrations: { state: string }[];
    };
    expect(doc).toMatchObject({ database: 'pglite://.tenon/pglite', kind: 'pglite' });
    expect(doc.migrations.map((m) => m.state)).toEqual(['applied', 'applied']);
    files.remove();
    rmSync(cwd, { recursive: true, force: true });
  });
});

describe.skipIf(!server.available)(`tenon migrate on a server ${server.reason}`, () => {
  let temp: TempDatabase;
  beforeAll(async () => {
    temp = await createTempDatabase();
  });
  afterAll(async () => {
    await temp.drop();
  });
  const run = (args: string[], env: Record<string, string> = {}, cwd?: string) =>
    runTenon(['migrate', ...args], { env: { DATABASE_URL: temp.url, ...env }, ...(cwd ? { cwd } : {}) });

  it('status, up and down print tables, and --json documents of the documented shape', async () => {
    const files = migrationDir();
    writeSteps(files, 2);
    files.write('20260101000003_idx', {
      up: 'create index concurrently step_1_id on step_1 (id);',
      down: 'drop index concurrently step_1_id;',
    });
    const t = { TENON_MIGRATE_TABLE: 'cli_history' };

    const before = await run(['status', '--dir', files.dir], t);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(`database: ${temp.url}`);
    expect(before.stdout).toContain('history:  public.cli_history (not created yet)');
    expect(before.stdout).toMatch(/lock: {5}-?\d+ free/);
    expect(before.stdout).toMatch(/20260101000001\s+step_1\s+pending/);
    expect(before.stdout).toContain('3 pending');

    const dry = await run(['up', '--dir', files.dir, '--dry-run'], t);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /^Dry run of 3 migrations to be applied on postgres:\/\/\S+, run as the real run runs them on temporary database tenon_shadow_[0-9a-f]+ on 127\.0\.0\.1:5432, a copy of the live schema \(thrown away\): all would be applied\.\n/,
    );
    expect(dry.stdout).toContain(
      '20260101000003_idx.sql (up, statement by statement, outside a transaction): ok',
    );
    expect(dry.stdout).toMatch(
      /1 {2}line 2 {5}create index concurrently step_1_id on step_1 \(id\)\s+\[CREATE INDEX CONCURRENTLY\]/,
    );

    const up = await run(['up', '--dir', files.dir, '--json'], t);
    expect(up.code, up.stderr).toBe(0);
    const result = JSON.parse(up.stdout);
    expect(Object.keys(result)).toEqual([
      'schema',
      'direction',
      'dryRun',
      'database',
      'kind',
      'table',
      'dir',
      'lockKey',
      'migrations',
      'warnings',
      'lint',
    ]);
    // step_N tables have an `int` key: lint, which up runs first, says so.
    expect(result.lint.findings.map((f: { rule: string }) => f.rule)).toEqual([
      'prefer-bigint',
      'prefer-bigint',
    ]);
    expect(result.schema).toBe('tenon.migrate.up/v1');
    expect(
      result.migrations.map((m: { version: string; status: string; transactional: boolean }) => [
        m.version,
        m.status,
        m.transactional,
      ]),
    ).toEqual([
      ['20260101000001', 'applied', true],
      ['20260101000002', 'applied', true],
      ['20260101000003', 'applied', false],
    ]);
    expect(Object.keys(result.migrations[0])).toEqual([
      'version',
      'name',
      'file',
      'direction',
      'status',
      'transactional',
      'statements',
      'executionMs',
      'retries',
      'notes',
    ]);

    const status = await run(['status', '--dir', files.dir, '--json'], t);
    const doc = JSON.parse(status.stdout);
    expect(doc.table).toBe('public.cli_history');
    expect(doc.lock).toMatchObject({
      key: migrationLockKey(temp.name, 'public', 'cli_history'),
      held: false,
      holder: null,
    });
    expect(doc.counts).toEqual({ applied: 3, pending: 0, dirty: 0, changed: 0, missing: 0 });
    expect(doc.migrations[0]).toMatchObject({
      version: '20260101000001',
      name: 'step_1',
      state: 'applied',
      outOfOrder: false,
    });
    expect(doc.schema).toBe('tenon.migrate.status/v1');
    expect(doc.migrations[0].appliedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(typeof doc.migrations[0].executionMs).toBe('number');

    const text = await run(['status', '--dir', files.dir], t);
    expect(text.stdout).toMatch(/version\s+name\s+state\s+applied at\s+time\s+by/);
    expect(text.stdout).toMatch(
      /20260101000003\s+idx\s+applied\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d+ms\s+postgres/,
    );

    const down = await run(['down', '--dir', files.dir, '--steps', '2'], t);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/20260101000003\s+idx\s+reverted/);
    expect(down.stdout).toContain('2 migrations rolled back in');
    const nothing = await run(['up', '--dir', files.dir, '--to', '20260101000001'], t);
    expect(nothing.stdout).toBe('Nothing to migrate: the database is up to date.\n');
    files.remove();
  });

  it('flags beat environment variables, which beat the config file', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tenon-cli-'));
    const a = migrationDir();
    const b = migrationDir();
    const c = migrationDir();
    writeSteps(a, 1);
    writeSteps(b, 2);
    writeSteps(c, 3);
    writeFileSync(
      join(cwd, 'tenon.config.json'),
      JSON.stringify({ migrate: { dir: a.dir, table: 'precedence' } }),
    );
    const count = async (args: string[], env: Record<string, string> = {}) =>
      JSON.parse((await run(['status', ...args, '--json'], env, cwd)).stdout).migrations.length;
    expect(await count([])).toBe(1);
    expect(await count([], { TENON_MIGRATE_DIR: b.dir })).toBe(2);
    expect(await count(['--dir', c.dir], { TENON_MIGRATE_DIR: b.dir })).toBe(3);
    for (const d of [a, b, c]) d.remove();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('a failed up lists what it applied before the failure (text and --json)', async () => {
    const files = migrationDir();
    files.write('20260101000001_step_1', { up: 'create table partial_1 (id int);', down: '' });
    files.write('20260101000002_step_2', { up: 'create table partial_2 (id int);', down: '' });
    files.write('20260101000003_bad', { up: 'create table partial_1 (id int);', down: '' });
    const t = { TENON_MIGRATE_TABLE: 'cli_partial' };
    const text = await run(['up', '--dir', files.dir, '--lint', 'off'], t);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/20260101000001 +step_1 +applied/);
    expect(text.stdout).toMatch(/20260101000002 +step_2 +applied/);
    expect(text.stdout).toContain('2 migrations were applied (in ');
    expect(text.stdout).toContain(') before the failure; they stay applied.');
    expect(text.stderr).toContain('20260101000003_bad.sql');
    files.write('20260101000004_bad_too', { up: 'create table partial_2 (id int);', down: '' });
    files.write('20260101000003_bad', { up: 'select 1;', down: '' });
    const json = await run(['up', '--dir', files.dir, '--json', '--lint', 'off'], t);
    expect(json.code).toBe(3);
    const doc = JSON.parse(json.stdout) as {
      schema: string;
      error: { code: string; details: { completed: { version: string; status: string }[] } };
    };
    expect(doc.schema).toBe('tenon.error/v1');
    expect(doc.error.code).toBe('TENON_MIGRATE_STATEMENT_FAILED');
    expect(doc.error.details.completed.map((m) => [m.version, m.status])).toEqual([
      ['20260101000003', 'applied'],
    ]);
    files.remove();
  });

  it('up refuses when every applied file is missing (a wrong --dir) or more than --max-missing', async () => {
    const files = migrationDir();
    const other = migrationDir();
    for (const i of [1, 2, 3])
      files.write(`2026010100000${i}_step_${i}`, { up: `create table missing_${i} (id int);`, down: '' });
    const t = { TENON_MIGRATE_TABLE: 'cli_missing' };
    expect((await run(['up', '--dir', files.dir, '--lint', 'off'], t)).code).toBe(0);
    other.write('20260101000007_step_7', { up: 'create table missing_7 (id int);', down: '' });
    const wrongDir = await run(['up', '--dir', other.dir, '--lint', 'off'], t);
    expect(wrongDir.code).toBe(2);
    expect(wrongDir.stderr).toContain(
      'TENON_MIGRATE_FILES_MISSING: Every applied migration (3) has no file in the migrations directory',
    );
    expect(wrongDir.stderr).toContain('this looks like the wrong folder');
    for (const stem of ['20260101000002_step_2', '20260101000003_step_3'])
      rmSync(join(files.dir, `${stem}.sql`));
    const some = await run(['up', '--dir', files.dir, '--lint', 'off', '--max-missing', '1'], t);
    expect(some.code).toBe(2);
    expect(some.stderr).toContain('2 of 3 applied migrations have no file');
    const warned = await run(['up', '--dir', files.dir, '--lint', 'off', '--dry-run'], t);
    expect(warned.code, warned.stderr).toBe(0);
    const allowed = await run(['up', '--dir', other.dir, '--lint', 'off', '--allow-missing'], t);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('1 migration applied');
    other.remove();
    files.remove();
  });

  it('exit codes: 2 for a bad file (with file:line:column), 3 for a failed statement or a lock held too long', async () => {
    const files = migrationDir();
    const t = { TENON_MIGRATE_TABLE: 'cli_codes' };
    files.write('20260101000001_typo', {
      up: 'create table ok (id int);\ncreat table nope (id int);',
      down: '',
    });
    const bad = await run(['up', '--dir', files.dir, '--json'], t);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error).toMatchObject({
      code: 'TENON_SQL_PARSE_FAILED',
      details: { file: '20260101000001_typo.sql', line: 3, column: 1 },
    });
    files.write('20260101000001_typo', {
      up: "create table ok (id int);\ninsert into ok values ('x');",
      down: '',
    });
    const failed = await run(['up', '--dir', files.dir], t);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain(
      '20260101000001_typo.sql:3:24: statement 2 of 2 (up) failed: invalid input syntax for type integer: "x"',
    );

    const dryFailed = await run(['up', '--dir', files.dir, '--dry-run', '--json'], t);
    expect(dryFailed.code).toBe(3);
    expect(JSON.parse(dryFailed.stdout).migrations[0]).toMatchObject({
      status: 'failed',
      error: { code: 'TENON_MIGRATE_STATEMENT_FAILED' },
    });

    const holder = new pg.Client({ connectionString: temp.url, application_name: 'other runner' });
    await holder.connect();
    await holder.query('select pg_advisory_lock($1::bigint)', [
      migrationLockKey(temp.name, 'public', 'cli_codes'),
    ]);
    const locked = await run(['up', '--dir', files.dir, '--lock-wait', '300ms'], t);
    expect(locked.code).toBe(3);
    expect(locked.stderr).toContain('waiting up to 300ms for the migration lock, held by pid');
    expect(locked.stderr).toMatch(
      /TENON_MIGRATE_LOCK_TIMEOUT: Another runner held the migration lock on public\.cli_codes for more than 300ms: pid \d+, "other runner"/,
    );
    const status = await run(['status', '--dir', files.dir], t);
    expect(status.stdout).toMatch(/lock: {5}-?\d+ held by pid \d+, "other runner"/);
    await holder.end();

    const repair = await run(['repair', '--dir', files.dir], t);
    expect(repair.code).toBe(0);
    expect(repair.stdout).toBe('Nothing to repair.\n');
    files.remove();
  });

  it('Ctrl-C stops after the running migration finishes, with exit code 130', async () => {
    const files = migrationDir();
    // The first migration waits until the test opens a gate (a row it inserts), so it is running when
    // Ctrl-C comes however slowly this busy machine starts the CLI or polls: a 0.8 s sleep was missed
    // by the poll at load average ~15. Every statement of the loop sees rows committed meanwhile.
    const client = new pg.Client({ connectionString: temp.url });
    await client.connect();
    await client.query('create table interrupt_gate (open boolean)');
    for (let i = 1; i <= 3; i++) {
      files.write(`2026010100000${i}_nap_${i}`, {
        up:
          i === 1
            ? `create table nap_1 (id int);\ndo $$ begin while not exists (select from interrupt_gate) loop perform pg_sleep(0.05); end loop; end $$;`
            : `create table nap_${i} (id int);\nselect pg_sleep(0.8);`,
        down: `drop table nap_${i};`,
      });
    }
    const env = { DATABASE_URL: temp.url, TENON_MIGRATE_TABLE: 'cli_interrupt' };
    const child = spawnTenon(['migrate', 'up', '--dir', files.dir], { env });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    await vi.waitFor(
      async () => {
        const { rows } = await client.query(
          `select 1 from pg_stat_activity where query like '%interrupt_gate%' and application_name like 'tenon migrate%' and state = 'active'`,
        );
        expect(rows.length, stderr).toBeGreaterThan(0);
      },
      { timeout: 60_000, interval: 50 },
    );
    child.kill('SIGINT');
    // The CLI is idle, awaiting the statement: it handles the signal as soon as it gets a CPU. A second
    // leaves it that on a busy machine before the first migration may finish.
    await new Promise((r) => setTimeout(r, 1000));
    await client.query('insert into interrupt_gate values (true)');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('TENON_INTERRUPTED');
    const { rows } = await client.query<{ version: string }>('select version from cli_interrupt order by 1');
    expect(rows.map((r) => r.version)).toEqual(['20260101000001']);
    await client.end();
    files.remove();
  });

  it('baseline and repair print what they recorded', async () => {
    const files = migrationDir();
    writeSteps(files, 3);
    const t = { TENON_MIGRATE_TABLE: 'cli_baseline' };
    const baseline = await run(['baseline', '20260101000002', '--dir', files.dir], t);
    expect(baseline.code).toBe(0);
    expect(baseline.stdout).toBe(
      'Recorded 2 migrations up to 20260101000002 as applied (baseline); nothing was run.\n',
    );
    files.write('20260101000001_step_1', {
      up: 'create table step_1 (id bigint primary key);',
      down: 'drop table step_1;',
    });
    const verify = await run(['verify', '--dir', files.dir, '--json'], t);
    expect(verify.code).toBe(1);
    expect(JSON.parse(verify.stdout)).toMatchObject({
      ok: false,
      problems: [{ version: '20260101000001', kind: 'changed' }],
    });
    const repair = await run(['repair', '--update-checksums', '--dir', files.dir], t);
    expect(repair.stdout).toBe('20260101000001_step_1.sql: recorded the current checksum\n');
    expect((await run(['verify', '--dir', files.dir], t)).code).toBe(0);
    files.remove();
  });
});
