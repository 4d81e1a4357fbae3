import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnTenonAndWait } from '../support/cli.js';
import { startDelayServer } from '../support/load-servers.js';

/**
 * Long commands run as real processes with stdout and stderr piped (as in
 * CI or `| tee`): stderr gets plain milestone lines (never terminal escape
 * codes), and stdout holds nothing but the `--json` document.
 */
const work = mkdtempSync(join(tmpdir(), 'tenon-progress-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The lines of `text` that match each pattern, in order; fails naming the first one missing. */
function expectLinesInOrder(text: string, patterns: readonly RegExp[]): void {
  const lines = text.split('\n');
  let at = 0;
  for (const pattern of patterns) {
    const found = lines.findIndex((line, i) => i >= at && pattern.test(line));
    expect({ missing: found === -1 ? String(pattern) : null, stderr: text }).toMatchObject({ missing: null });
    at = found + 1;
  }
}

function expectPlain(run: { stdout: string; stderr: string }): unknown {
  expect(run.stderr).not.toContain('\x1b');
  expect(run.stderr).not.toContain('\r');
  return JSON.parse(run.stdout);
}

// Independent processes (own directories or in-memory databases), so they run side by side; the load run
// accepts exit 4 (a starved generator) and checks only its milestone lines.
describe.concurrent('progress on stderr when it is not a terminal', () => {
  it('migrate up: a line per migration', async () => {
    const cwd = join(work, 'migrate');
    mkdirSync(join(cwd, 'migrations'), { recursive: true });
    for (const [i, name] of ['a', 'b', 'c'].entries()) {
      writeFileSync(
        join(cwd, 'migrations', `2026010100000${i + 1}_${name}.sql`),
        `-- migrate:up\ncreate table ${name} (id int);\n\n-- migrate:down\ndrop table ${name};\n`,
      );
    }
    const run = await spawnTenonAndWait(['migrate', 'up', '--json', '--database-url', 'pglite://memory'], {
      cwd,
    });
    expect(run.code, run.stderr).toBe(0);
    const doc = expectPlain(run) as { schema: string; migrations: unknown[] };
    expect(doc).toMatchObject({ schema: 'tenon.migrate.up/v1' });
    expect(doc.migrations).toHaveLength(3);
    expectLinesInOrder(run.stderr, [
      /^applying 20260101000001_a\.sql$/,
      /^applying 20260101000002_b\.sql$/,
      /^applying 20260101000003_c\.sql$/,
    ]);
  });

  it('load: when it starts and every 10 s of measurement', async () => {
    const server = await startDelayServer(0);
    try {
      const run = await spawnTenonAndWait(
        ['load', server.url, '--rate', '20', '-d', '11s', '--workers', '1', '--json'],
        { cwd: work },
      );
      // 0, or 4 when a busy machine starved the generator: either way it measured and printed.
      expect([0, 4], run.stderr).toContain(run.code);
      expect(expectPlain(run)).toMatchObject({ schema: 'tenon.load/v1' });
      expectLinesInOrder(run.stderr, [
        /^load: open model, 1 worker, measuring for 11s$/,
        /^load: 10\/11s · target 20 · achieved \d+ req\/s · p99 .+ · errors \d+$/,
      ]);
      // Milestones only: not one line per second.
      expect(run.stderr.split('\n').filter((l) => l.startsWith('load: ')).length).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('db analyze: a line per check', async () => {
    const run = await spawnTenonAndWait(
      [
        'db',
        'analyze',
        '--json',
        '--only',
        'missing-fk-index,unused-index',
        '--database-url',
        'pglite://memory',
      ],
      { cwd: work },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(expectPlain(run)).toMatchObject({ schema: 'tenon.analyze.analyze/v1' });
    expectLinesInOrder(run.stderr, [
      /^checking missing-fk-index \(1\/2\)$/,
      /^checking unused-index \(2\/2\)$/,
    ]);
  });

  it('new: the model and the files rendered', async () => {
    const run = await spawnTenonAndWait(
      ['new', 'blog', '--no-install', '--json', '--resources', 'Post(title:string)'],
      { cwd: work },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(expectPlain(run)).toMatchObject({ schema: 'tenon.scaffold.new/v1' });
    expectLinesInOrder(run.stderr, [
      // Every operation counted, CRUD and not: a DSL resource has no handler of its own.
      /^read 1 resource\(s\), (\d+) operation\(s\) \(\1 CRUD, 0 handler\(s\) of their own\)$/,
      /^rendered \d+ file\(s\)$/,
    ]);
  });
});
