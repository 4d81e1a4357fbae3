import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilityProblem, detectCapabilities } from '../../src/analyze/capabilities.js';
import { Catalog } from '../../src/analyze/catalog/catalog.js';
import {
  type AnalyzeConfig,
  type AnalyzeResult,
  allChecks,
  analyzeConfigSchema,
  analyzeDatabase,
  type Capabilities,
  type CheckContext,
  SEVERITIES,
  writeFixMigrations,
} from '../../src/analyze/index.js';
import { adviseIndexes } from '../../src/analyze/index-advisor/advise-indexes.js';
import { statsWindow } from '../../src/analyze/stats-window/stats-window.js';
import { connect, type Database } from '../../src/core/db/index.js';
import { parseSql } from '../../src/core/sql/index.js';
import { Migrator } from '../../src/migrate/index.js';
import { formatScore, scoreRecall } from './fixtures/recall.js';
import { describeFindings, footprintOf, selfInflicted } from './fixtures/second-round.js';
import {
  buildCleanShop,
  buildPlantedShop,
  FIXTURE_CONFIG,
  PLANTED,
  resetStatements,
  runPlantedWorkload,
} from './fixtures/shop-fixture.js';

const config: AnalyzeConfig = analyzeConfigSchema.parse(FIXTURE_CONFIG);

let shared: CheckContext | undefined;

/** One context for every check of the contract test, so the advisor runs once. */
function contextFor(db: Database, capabilities: Capabilities): CheckContext {
  if (shared) return shared;
  const catalog = new Catalog(db, capabilities);
  let advice: ReturnType<typeof adviseIndexes> | undefined;
  shared = {
    db,
    capabilities,
    config,
    catalog,
    window: statsWindow(capabilities.statsReset, undefined, new Date()),
    indexAdvice: () => {
      advice ??= adviseIndexes({ db, capabilities, catalog, config });
      return advice;
    },
  };
  return shared;
}

describe('tenon db on PGlite (PostgreSQL 18, pg_stat_statements, no hypopg)', () => {
  let db: Database;
  let result: AnalyzeResult;

  beforeAll(async () => {
    db = await connect({ databaseUrl: 'pglite://memory' });
    await buildPlantedShop(db);
    result = await analyzeDatabase({ db, config: FIXTURE_CONFIG });
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  it('finds every planted problem PGlite can have (recall), and says why the session checks did not run', () => {
    const plantable = PLANTED.filter((p) => !p.serverOnly);
    const score = scoreRecall(result.findings, plantable);
    console.log(formatScore(`PGlite ${result.server.version}`, score));
    expect(score.missed).toEqual([]);
    const notRun = result.checks.filter((c) => c.status !== 'ran');
    expect(notRun.map((c) => c.id)).toEqual(['connections', 'long-running-query', 'blocked-query']);
    for (const c of notRun) expect(c.reason).toMatch(/PGlite has a single connection.*--database-url/);
  });

  it('prices index candidates by building them in a rolled-back transaction', async () => {
    expect(result.indexAdvice?.methods).toEqual(['real-index']);
    const { rows } = await db.query<{ n: string }>(
      "select count(*)::text as n from pg_class where relname like 'tenon_candidate_%'",
    );
    expect(rows[0]!.n).toBe('0');
  });

  describe('check contract', () => {
    it.each(allChecks.map((c) => [c.id, c] as const))('%s follows the plugin contract', async (id, check) => {
      expect(id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
      expect(check.title.length).toBeGreaterThan(3);
      expect(Object.keys(check.severities).length).toBeGreaterThan(0);
      const capabilities = await detectCapabilities(db);
      const problems = check.requires.map((r) => capabilityProblem(capabilities, r, config)).filter(Boolean);
      if (problems.length > 0) {
        // A missing capability is said, with how to enable it; never a silent pass.
        expect(result.checks.find((c) => c.id === id)).toMatchObject({ status: 'not-run' });
        return;
      }
      const findings = await check.run(contextFor(db, capabilities));
      expect(findings.length, `${id} reports its planted problem`).toBeGreaterThan(0);
      for (const f of findings) {
        expect(f.check).toBe(id);
        expect(SEVERITIES).toContain(f.severity);
        expect(Object.keys(check.severities)).toContain(f.severity);
        expect(f.title.length).toBeGreaterThan(5);
        expect(f.object.name.length).toBeGreaterThan(0);
        expect(f.recommendation.length).toBeGreaterThan(10);
        expect(() => JSON.stringify(f.evidence)).not.toThrow();
        if (f.fix) {
          expect(f.fix.name).toMatch(/^[a-z0-9_]+$/);
          expect((await parseSql(f.fix.up)).length).toBeGreaterThan(0);
          if (f.fix.migration) expect((await parseSql(f.fix.down)).length).toBeGreaterThan(0);
        }
      }
    });

    it('turns a missing capability into "not run" with the reason and how to enable it', async () => {
      const caps = await detectCapabilities(db);
      const without: Capabilities = {
        ...caps,
        trackCounts: false,
        pgStatStatements: {
          available: false,
          columns: [],
          reason:
            'pg_stat_statements is not installed in this database: run CREATE EXTENSION pg_stat_statements',
        },
      };
      expect(capabilityProblem(without, 'pg_stat_statements', config)).toMatch(/CREATE EXTENSION/);
      expect(capabilityProblem(without, 'queries', config)).toMatch(/--queries FILE/);
      expect(capabilityProblem(without, 'track_counts', config)).toMatch(/track_counts = on/);
      const recent = { ...caps, statsReset: new Date().toISOString(), windowStart: new Date().toISOString() };
      expect(capabilityProblem(recent, 'stats_age', { ...config, minStatsAge: 3_600_000 })).toMatch(
        /minStatsAge/,
      );
    });
  });

  it('writes migrations that apply on PGlite and cause no finding of their own in a second round', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenon-pglite-fix-'));
    const written = await writeFixMigrations({ dir, findings: result.findings });
    expect(written.length).toBeGreaterThan(3);
    const migrator = new Migrator({ db, dir });
    const up = await migrator.up();
    expect(up.migrations.map((m) => m.status)).toEqual(written.map(() => 'applied'));
    await db.exec('analyze');
    await resetStatements(db);
    await runPlantedWorkload(db);
    const second = await analyzeDatabase({ db, config: FIXTURE_CONFIG });
    const text = written.map((w) => readFileSync(w.path, 'utf8'));
    const caused = selfInflicted(result.findings, second.findings, footprintOf(text));
    console.log(
      `PGlite second round: ${second.findings.length} findings (${result.findings.length} before), ${caused.length} caused by tenon's own fixes`,
    );
    expect(caused, describeFindings(caused)).toEqual([]);
  }, 120_000);

  it('reports nothing on a clean, well-indexed database (precision)', async () => {
    const clean = await connect({ databaseUrl: 'pglite://memory' });
    try {
      await buildCleanShop(clean);
      const cleanResult = await analyzeDatabase({ db: clean, config: FIXTURE_CONFIG });
      const warnings = cleanResult.findings.filter((f) => f.severity !== 'info');
      console.log(formatScore(`PGlite ${cleanResult.server.version} clean`, scoreRecall([], []), warnings));
      expect(warnings).toEqual([]);
    } finally {
      await clean.close();
    }
  });

  it('says why pg_stat_statements checks cannot run before the extension exists', async () => {
    const bare = await connect({ databaseUrl: 'pglite://memory' });
    try {
      const r = await analyzeDatabase({ db: bare, config: FIXTURE_CONFIG });
      const slow = r.checks.find((c) => c.id === 'slow-query')!;
      expect(slow.status).toBe('not-run');
      expect(slow.reason).toMatch(/CREATE EXTENSION pg_stat_statements/);
      expect(r.checks.find((c) => c.id === 'missing-index')!.reason).toMatch(/--queries FILE/);
    } finally {
      await bare.close();
    }
  });
});
