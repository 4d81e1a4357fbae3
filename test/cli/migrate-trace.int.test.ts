import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationDir } from '../migrate/support.js';
import { runTenon } from '../support/cli.js';

const dir = migrationDir();
const cwd = mkdtempSync(join(tmpdir(), 'tenon-trace-cli-'));
afterAll(() => {
  dir.remove();
  rmSync(cwd, { recursive: true, force: true });
});

describe('tenon migrate trace', () => {
  it('traces the pending migrations of the embedded database: text, --json, and exit 1 on an error finding', async () => {
    dir.write('20260101000001_create', {
      up: 'create table t (id int primary key); insert into t select generate_series(1, 10);',
      down: 'drop table t;',
    });
    const up = await runTenon(['migrate', 'up', '--dir', dir.dir], { cwd });
    expect(up.code, up.stderr).toBe(0);
    dir.write('20260101000002_alter', {
      up: 'alter table t add column note text;\nalter table t alter column id type bigint;',
      down: '',
    });
    const text = await runTenon(['migrate', 'trace', '--dir', dir.dir], { cwd });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('shadow: in-memory copy of pglite://.tenon/pglite');
    expect(text.stdout).toMatch(/20260101000002_alter\.sql {2}one transaction, 2 statements, \d+ ms, traced/);
    expect(text.stdout).toContain('ACCESS EXCLUSIVE public.t (until commit');
    expect(text.stdout).toContain('public.t (table)');

    const json = await runTenon(
      ['migrate', 'trace', '--dir', dir.dir, '--json', '--large-rows', '5', '--slow', '0'],
      {
        cwd,
      },
    );
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as {
      schema: string;
      shadow: { kind: string; source: string };
      migrations: { file: string; statements: { rewrites: { relation: string }[] }[] }[];
      findings: { severity: string; message: string }[];
    };
    expect(doc.schema).toBe('tenon.migrate.trace/v1');
    expect(doc.shadow).toMatchObject({ kind: 'pglite', source: 'pglite-copy' });
    expect(doc.migrations.map((m) => m.file)).toEqual(['20260101000002_alter.sql']);
    expect(doc.migrations[0]!.statements[1]!.rewrites.map((r) => r.relation)).toContain('public.t');
    expect(doc.findings.filter((f) => f.severity === 'error')[0]!.message).toMatch(
      /^ACCESS EXCLUSIVE on public\.t \(10 rows/,
    );
  });

  it('exits 3 when a statement fails in the shadow, and the live database is unchanged', async () => {
    dir.write('20260101000003_broken', { up: 'insert into nowhere values (1);', down: '' });
    const run = await runTenon(['migrate', 'trace', '--dir', dir.dir], { cwd });
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('failed: relation "nowhere" does not exist');
    const status = await runTenon(['migrate', 'status', '--dir', dir.dir, '--json'], { cwd });
    const doc = JSON.parse(status.stdout) as { counts: { applied: number; pending: number } };
    expect(doc.counts).toMatchObject({ applied: 1, pending: 2 });
  });
});
