import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';
import { createPgliteDb } from '../../templates/common/src/db/database.js';
import { migrateUp, migrationStatus } from '../../templates/common/src/db/migrator.js';
import { runTenon } from '../support/cli.js';

/**
 * The generated project's runner and `tenon migrate` share one history
 * table: each sees what the other applied, and they agree on every state.
 */
const work = mkdtempSync(join(tmpdir(), 'tenon-agree-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tenon migrate status agrees with the generated runner', () => {
  const dir = join(work, 'blog');
  const data = join(work, 'pglite');

  /** The project's runner on the same PGlite directory (closed before tenon opens it: one process at a time). */
  async function runner() {
    const db = await createPgliteDb(data);
    return { db, close: () => db.close() };
  }

  async function both() {
    const { db, close } = await runner();
    const ours = (await migrationStatus(db, { dir: join(dir, 'migrations') })).map((s) => [
      s.version,
      s.name,
      s.state,
    ]);
    await close();
    const result = await runTenon(['migrate', 'status', '--json', '--database-url', `pglite://${data}`], {
      cwd: dir,
    });
    expect(result.code, result.stderr).toBeLessThan(2);
    const theirs = (
      JSON.parse(result.stdout).migrations as { version: string; name: string; state: string }[]
    ).map((s) => [s.version, s.name, s.state]);
    return { ours, theirs };
  }

  // Several CLI and PGlite starts: about 25 s alone, more on a busy machine.
  it('after the runner applies, after a new migration, after tenon applies, after an edit', async () => {
    await generateProject({ mode: 'new', dir, resources: 'Post(title:string)', cwd: work });
    const { db, close } = await runner();
    await migrateUp(db, { dir: join(dir, 'migrations') });
    await close();
    let s = await both();
    expect(s.theirs).toEqual(s.ours);
    expect(s.ours.map((x) => x[2])).toEqual(['applied']);

    const added = await generateProject({
      mode: 'generate',
      dir,
      addResources: 'Tag(name:string)',
      cwd: work,
    });
    s = await both();
    expect(s.theirs).toEqual(s.ours);
    expect(s.ours.map((x) => x[2])).toEqual(['applied', 'pending']);

    const up = await runTenon(['migrate', 'up', '--database-url', `pglite://${data}`], { cwd: dir });
    expect(up.code, up.stderr).toBe(0);
    s = await both();
    expect(s.theirs).toEqual(s.ours);
    expect(s.ours.map((x) => x[2])).toEqual(['applied', 'applied']);

    appendFileSync(join(dir, added.migrations[0]!), '-- edited after it was applied\n');
    s = await both();
    expect(s.theirs).toEqual(s.ours);
    expect(s.ours.map((x) => x[2])).toEqual(['applied', 'changed']);
  }, 120_000);
});
