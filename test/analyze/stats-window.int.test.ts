import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnalyzeResult,
  analyzeDatabase,
  readStatsSnapshot,
  type StatsSnapshot,
  takeStatsSnapshot,
  writeStatsSnapshot,
} from '../../src/analyze/index.js';
import { connect, type Database } from '../../src/core/db/index.js';
import { runTenon } from '../support/cli.js';
import { createTempDatabase, requireExtPostgres, type TempDatabase } from '../support/services.js';
import { resetStatements } from './fixtures/shop-fixture.js';

const ext = await requireExtPostgres();

const CONFIG = { minStatsAge: 0, seqScanMinScans: 20, deadRowMin: 1000 };
const LOOKUP = 'select id, note from items where code = $1';

/** Runs the lookup that a missing index turns into sequential scans, `n` times. */
async function lookups(db: Database, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await db.query(LOOKUP, [`c${i * 37}`]);
}

/** Counters of other sessions reach the statistics at once (PostgreSQL 15+). */
async function flush(db: Database): Promise<void> {
  await db.query('select pg_stat_force_next_flush()');
  await db.query('select 1');
}

const names = (r: AnalyzeResult, check: string) =>
  r.findings.filter((f) => f.check === check).map((f) => `${f.severity} ${f.object.name}`);

describe.skipIf(!ext.available)(
  `statistics window: tenon db snapshot, analyze --since (${ext.reason})`,
  () => {
    let temp: TempDatabase;
    let db: Database;
    let snapshot: StatsSnapshot;
    let before: AnalyzeResult;
    let since: AnalyzeResult;
    let cumulative: AnalyzeResult;

    beforeAll(async () => {
      temp = await createTempDatabase(ext.url, 'analyze_window');
      db = await connect({ databaseUrl: temp.url, maxConnections: 1 });
      await db.exec(`
      create extension if not exists pg_stat_statements;
      create table items (id bigint primary key, code text not null, note text);
      insert into items select g, 'c' || g, repeat('n', 40) from generate_series(1, 30000) g;
      create index items_note_idx on items (note);
      create table tiny_settings (id int primary key, value int not null);
      insert into tiny_settings select g, 0 from generate_series(1, 20) g;
      create table fresh (id int primary key, v int not null);
      insert into fresh select g, 0 from generate_series(1, 20000) g;
      analyze;
    `);
      await resetStatements(db);
      // The slow workload: every lookup scans items.
      await lookups(db, 40);
      // A tiny table changed often, and a table changed then analyzed at once.
      for (let i = 0; i < 60; i++) await db.query('update tiny_settings set value = value + 1');
      // No flush before the VACUUM: the update's counters reach the statistics after it, as they do
      // when another session (or PGlite's one) flushes late.
      await db.exec('update fresh set v = v + 1');
      await db.exec('vacuum analyze fresh');
      await flush(db);
      before = await analyzeDatabase({ db, config: CONFIG });
      snapshot = await takeStatsSnapshot({ db });
      // The fix, and an index created after the snapshot that nothing uses yet.
      await db.exec(`create index items_code_idx on items (code);
      create index items_id_note_idx on items (id, note);`);
      await lookups(db, 40);
      await flush(db);
      since = await analyzeDatabase({ db, config: CONFIG, since: snapshot });
      cumulative = await analyzeDatabase({ db, config: CONFIG });
    }, 120_000);

    afterAll(async () => {
      await db?.close();
      await temp?.drop();
    });

    it('before the fix: the sequential scans and the slow lookup are found, the window named', () => {
      expect(names(before, 'seq-scan-heavy')).toEqual(['warning public.items']);
      const seq = before.findings.find((f) => f.check === 'seq-scan-heavy')!;
      expect(seq.evidence.window).toMatch(/^since the statistics/);
      expect(seq.title).toContain(String(seq.evidence.window));
      expect(before.window.source).not.toBe('snapshot');
    });

    it('since the snapshot: the fix shows, old scans do not count', () => {
      expect(since.window.source).toBe('snapshot');
      expect(since.window.since).toBe(snapshot.takenAt);
      expect(since.window.description).toMatch(/^since the snapshot of \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      expect(names(since, 'seq-scan-heavy')).toEqual([]);
      // The same counters read whole still report the scans before the fix.
      expect(names(cumulative, 'seq-scan-heavy')).toEqual(['warning public.items']);
      const lookup = since.topQueries.find((q) => q.query === LOOKUP)!;
      const whole = cumulative.topQueries.find((q) => q.query === LOOKUP)!;
      expect(lookup.calls).toBe(40);
      expect(whole.calls).toBe(80);
      expect(lookup.meanMs).toBeLessThan(whole.meanMs);
    });

    it('unused-index: every unused index (small ones as info), none created after the snapshot', () => {
      expect(names(since, 'unused-index')).toEqual(['info public.items_note_idx']);
      const f = since.findings.find((x) => x.check === 'unused-index')!;
      expect(f.title).toContain(since.window.description);
      expect(names(cumulative, 'unused-index')).toEqual([
        'warning public.items_id_note_idx',
        'info public.items_note_idx',
      ]);
    });

    it('vacuum-stale leaves out tiny tables and tables analyzed just now', async () => {
      const { rows } = await db.query<{
        relname: string;
        n_tup_upd: string;
        n_mod_since_analyze: string;
        n_dead_tup: string;
      }>(
        `select relname, n_tup_upd, n_mod_since_analyze, n_dead_tup from pg_stat_user_tables where relname in ('fresh', 'tiny_settings') order by relname`,
      );
      expect(Number(rows[1]!.n_tup_upd)).toBeGreaterThanOrEqual(1200);
      expect(before.findings.filter((f) => f.check === 'vacuum-stale').map((f) => f.object.name)).toEqual([]);
    });

    it('a snapshot file round-trips; a bad file or another database is refused with a code', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tenon-snapshot-'));
      const path = join(dir, 'nested', 'snap.json');
      await writeStatsSnapshot(path, snapshot);
      expect(await readStatsSnapshot(path)).toEqual(snapshot);
      writeFileSync(join(dir, 'bad.json'), '{"schema":"other"}');
      await expect(readStatsSnapshot(join(dir, 'bad.json'))).rejects.toMatchObject({
        code: 'TENON_ANALYZE_SNAPSHOT_INVALID',
      });
      await expect(readStatsSnapshot(join(dir, 'missing.json'))).rejects.toMatchObject({
        code: 'TENON_ANALYZE_SNAPSHOT_INVALID',
      });
      await expect(
        analyzeDatabase({ db, config: CONFIG, since: { ...snapshot, database: 'elsewhere' } }),
      ).rejects.toMatchObject({ code: 'TENON_ANALYZE_SNAPSHOT_INVALID' });
    });

    it('the CLI: tenon db snapshot, then tenon db analyze --since', async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'tenon-snapshot-cli-'));
      const env = { TENON_ANALYZE_MIN_STATS_AGE: '0', TENON_ANALYZE_SEQ_SCAN_MIN_SCANS: '20' };
      const url = ['--database-url', temp.url];
      const snap = await runTenon(['db', 'snapshot', ...url, '--json'], { cwd, env });
      expect(snap.code, snap.stderr).toBe(0);
      const doc = JSON.parse(snap.stdout) as { schema: string; path: string; tables: number };
      expect(doc).toMatchObject({ schema: 'tenon.analyze.snapshot/v1', tables: 3 });
      expect(doc.path).toBe(join(cwd, '.tenon', 'db-snapshot.json'));
      await lookups(db, 5);
      await flush(db);
      const run = await runTenon(
        [
          'db',
          'analyze',
          ...url,
          '--no-color',
          '--only',
          'unused-index',
          '--since',
          '.tenon/db-snapshot.json',
        ],
        { cwd, env },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^counters since the snapshot of /m);
      expect(run.stdout).toContain(
        'public.items_note_idx on public.items has not been scanned since the snapshot',
      );
      const bad = await runTenon(['db', 'analyze', ...url, '--since', 'nope.json'], { cwd, env });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('TENON_ANALYZE_SNAPSHOT_INVALID');
    });
  },
);
