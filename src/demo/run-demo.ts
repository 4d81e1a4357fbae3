import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  analyzeDatabase,
  createDbSignalSampler,
  type Finding,
  takeStatsSnapshot,
  writeFixMigrations,
} from '../analyze/index.js';
import { PgliteDatabase } from '../core/db/pglite-database.js';
import { TenonError } from '../core/errors.js';
import { capacityVerdict, findCapacity, runLoad } from '../load/index.js';
import { Migrator } from '../migrate/index.js';
import { formatPercent } from '../report/format.js';
import { generateProject, installDependencies } from '../scaffold/index.js';
import { type AppProcess, linkDependencies, startApp } from './app-process.js';
import { openDemoDatabase } from './demo-database.js';
import { assertSomeSucceeded, demoTargets } from './demo-load.js';
import { DEMO_STEPS, type DemoOptions, type DemoStep, demoOptionsSchema } from './demo-options.js';
import type { DemoCapacityRun, DemoResult } from './demo-result.js';
import { openDemoSession } from './demo-session.js';
import { type PgliteServer, servePglite } from './pglite-server.js';
import { isPlantedFinding, plantedBottleneck } from './planted.js';
import { SAMPLE_SPEC } from './sample-spec.js';
import { DEFAULT_SEED_SIZES, seedDemoData } from './seed.js';

/** A fix the demo applies: new indexes only (dropping an index on a few minutes of statistics would be rash). */
function isIndexFix(f: Finding): boolean {
  return f.fix?.migration === true && /^\s*create\s+(unique\s+)?index/i.test(f.fix.up);
}

/**
 * Runs the whole demo: generates the sample API, migrates and seeds its
 * database, starts it, loads it, analyzes the database, applies the fix the
 * analysis wrote, loads it again. Everything it started is stopped before
 * it returns or throws (also when `signal` aborts: then it throws
 * `TENON_INTERRUPTED`).
 *
 * @throws TenonError `TENON_DEMO_DATABASE_NOT_EMPTY`, `TENON_DEMO_APP_FAILED`,
 *   `TENON_DEMO_LOGIN_FAILED`, `TENON_INTERRUPTED`, and those of the parts it uses.
 */
export async function runDemo(input: DemoOptions = {}): Promise<DemoResult> {
  const o = demoOptionsSchema.parse(input);
  const started = Date.now();
  const stamp = new Date(started).toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const dir = resolve(o.cwd, o.dir ?? join('.tenon', 'demo', stamp));
  const timings: DemoResult['timings'] = {};
  const stepMs = o.duration;
  const cleanups: (() => Promise<void>)[] = [];

  const checkAbort = () => {
    if (o.signal?.aborted)
      throw new TenonError('TENON_INTERRUPTED', 'Interrupted: the demo stopped everything it started.');
  };
  async function step<T>(
    name: DemoStep,
    message: string,
    fn: () => Promise<T>,
    done: (value: T) => string,
  ): Promise<T> {
    checkAbort();
    o.onEvent?.({
      type: 'step-start',
      step: name,
      index: DEMO_STEPS.indexOf(name),
      total: DEMO_STEPS.length,
      message,
    });
    const t0 = performance.now();
    const value = await fn();
    timings[name] = Math.round(performance.now() - t0);
    checkAbort();
    o.onEvent?.({ type: 'step-done', step: name, durationMs: timings[name], message: done(value) });
    return value;
  }

  try {
    const generated = await step(
      'generate',
      `generating the sample API (${o.framework}) into ${dir}`,
      async () => {
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, 'openapi.yaml'), SAMPLE_SPEC);
        const result = await generateProject({
          mode: 'new',
          dir,
          from: join(dir, 'openapi.yaml'),
          framework: o.framework,
          name: 'tenon-demo-shop',
          force: true,
          // The demo's traffic and session speak tenon's conventions (/api/v1, the envelope).
          conventions: true,
        });
        const linked = linkDependencies(dir);
        if (!linked) await installDependencies(dir, { signal: o.signal });
        return { result, dependencies: linked ? ('linked' as const) : ('installed' as const) };
      },
      (g) =>
        `${g.result.resources.length} resources, ${g.result.files.length} files, dependencies ${g.dependencies}`,
    );

    const database = await step(
      'database',
      o.databaseUrl ? 'migrating and seeding the database' : 'migrating and seeding PGlite (in memory)',
      async () => {
        const opened = await openDemoDatabase(
          o.databaseUrl,
          o.cache ? resolve(o.cwd, '.tenon', 'cache') : undefined,
          o.cwd,
        );
        const db = opened.db;
        cleanups.push(() => db.close());
        const { rows } = await db.query<{ n: number }>(
          "select count(*)::int as n from pg_class where relname = 'products' and relkind = 'r'",
        );
        if ((rows[0]?.n ?? 0) > 0) {
          throw new TenonError(
            'TENON_DEMO_DATABASE_NOT_EMPTY',
            `The database ${db.displayUrl} already has a products table.`,
            {
              hint: 'Give tenon demo an empty database (createdb tenon_demo), or leave --database-url out to use PGlite.',
            },
          );
        }
        await new Migrator({ db, dir: join(dir, 'migrations'), signal: o.signal }).up();
        const scaled = (n: number) => Math.max(100, Math.round(n * o.scale));
        const d = DEFAULT_SEED_SIZES;
        const sizes = {
          customers: scaled(d.customers),
          products: scaled(d.products),
          orders: scaled(d.orders),
          orderItems: scaled(d.orderItems),
        };
        const seed = await seedDemoData(db, sizes, o.signal);
        let server: PgliteServer | undefined;
        if (db instanceof PgliteDatabase) {
          server = await servePglite(db.instance);
          const s = server;
          cleanups.push(() => s.close());
        }
        return { db, seed, fromCache: opened.fromCache, appUrl: server?.url ?? o.databaseUrl! };
      },
      (d) => `${d.seed.rows.toLocaleString('en-US')} rows seeded in ${d.seed.durationMs} ms`,
    );
    const { db } = database;

    const app: AppProcess = await step(
      'start',
      'starting the generated app',
      async () => {
        const started = await startApp({
          dir,
          signal: o.signal,
          env: {
            NODE_ENV: 'production',
            DATABASE_URL: database.appUrl,
            // PGlite runs one statement at a time whatever the pool size; a few connections let requests queue at the database.
            DB_POOL_MAX: db.kind === 'pglite' ? '4' : '10',
            // The in-memory PGlite is served over one socket session shared by every pooled connection,
            // as PgBouncer in transaction mode shares a server connection: a statement one connection
            // prepared exists for all of them ("prepared statement already exists"). The app would notice
            // and turn names off, but a write in flight in a transaction fails on the way (a 500), so the
            // demo starts it with names off.
            ...(db.kind === 'pglite' ? { DB_PREPARED_STATEMENTS: 'false' } : {}),
            LOG_LEVEL: 'warn',
            JWT_SECRET: randomBytes(32).toString('hex'),
            RATE_LIMIT_MAX: '10000000',
            RATE_LIMIT_AUTH_MAX: '10000000',
          },
        });
        cleanups.push(() => started.stop());
        return started;
      },
      (a) => `listening on ${a.url}, ready`,
    );

    const session = await step(
      'login',
      'registering a demo user and logging in',
      () => openDemoSession(app.url),
      (s) => (s.authenticated ? `logged in as ${s.email}` : `unauthenticated: ${s.note}`),
    );
    const targets = demoTargets(app.url, session.headers);
    const thresholds = [`p99<${o.p99Target}ms`, 'errors<1%'];

    const load = (name: DemoStep, label: string, warmup: number) =>
      step(
        name,
        `${label}: ${o.rate} req/s for ${Math.round(stepMs / 1000)}s`,
        async () => {
          const result = await runLoad({
            targets,
            rate: o.rate,
            duration: stepMs,
            warmup,
            thresholds,
            workers: 1,
            timeout: 5000,
            // The server side of the steady runs: the load run names the slow statement itself.
            signals: { db: createDbSignalSampler({ db }), pid: app.pid },
            signal: o.signal,
            onEvent: (e) => {
              if (e.type === 'progress')
                o.onEvent?.({ type: 'load-progress', step: name, progress: e.progress });
            },
          });
          assertSomeSucceeded(label, result);
          return { label, result };
        },
        (r) =>
          `p99 ${r.result.latency.corrected.p99?.toFixed(1) ?? '—'} ms, ${r.result.throughput.rps.toFixed(0)} req/s, errors ${formatPercent(r.result.errors.rate)}`,
      );
    // The highest rate meeting the p99 target, each rate run twice or more until the decision is
    // clear at 95 %; bounded in time so the demo stays short (a coarser bracket when time runs out).
    const capacityBudgetMs = Math.max(15_000, stepMs * 1.5);
    const capacity = (name: DemoStep, label: string) =>
      step(
        name,
        `capacity ${label}: highest rate with p99<${o.p99Target}ms, up to ${o.maxRate} req/s (at most ${Math.round(capacityBudgetMs / 1000)}s)`,
        async (): Promise<DemoCapacityRun> => {
          const result = await findCapacity({
            targets,
            slo: `p99<${o.p99Target}ms,errors<1%`,
            maxRate: o.maxRate,
            startRate: Math.min(o.rate, o.maxRate),
            stepDuration: 1500,
            warmup: 500,
            pause: 500,
            maxRepeats: 3,
            precision: 0.25,
            maxTime: capacityBudgetMs,
            workers: 1,
            timeout: 5000,
            signal: o.signal,
            onEvent: (e) => {
              if (e.type === 'progress')
                o.onEvent?.({ type: 'load-progress', step: name, progress: e.progress });
            },
          });
          return { label, result };
        },
        (r) => capacityVerdict(r.result),
      );

    // The analysis reads the counters' change from here on (tenon db snapshot / analyze --since):
    // the app's start, the login and the seed do not count, and nothing is reset.
    const window = await takeStatsSnapshot({ db });
    const before = await load('load-before', 'before the fix', 2000);
    const capacityBefore = await capacity('capacity-before', 'before the fix');

    const analysis = await step(
      'analyze',
      'analyzing the database (tenon db analyze)',
      () =>
        analyzeDatabase({
          db,
          signal: o.signal,
          // The demo's statistics are minutes old and its tables small: let the checks and the advisor judge them anyway.
          config: { minStatsAge: 0, realIndexMaxTableSize: '1GB', minCalls: 5 },
          since: window,
        }),
      (a) => `${a.summary.critical} critical, ${a.summary.warning} warnings, ${a.summary.info} info`,
    );
    const plantedByLoad = plantedBottleneck(before.result);
    const planted =
      analysis.findings.find((f) => isPlantedFinding(f) && isIndexFix(f)) ??
      analysis.findings.find(isPlantedFinding) ??
      null;

    const fix = await step(
      'fix',
      'writing and applying the fixing migration (tenon migrate up)',
      async () => {
        const written = await writeFixMigrations({
          dir: join(dir, 'migrations'),
          findings: analysis.findings.filter(isIndexFix),
        });
        const run = await new Migrator({ db, dir: join(dir, 'migrations'), signal: o.signal }).up();
        await db.exec('analyze');
        return {
          written: written.map((w) => w.path),
          applied: run.migrations.map((m) => `${m.version}_${m.name}`),
        };
      },
      (f) => `${f.applied.length} migration(s) applied`,
    );

    const after = await load('load-after', 'after the fix', 1000);
    const capacityAfter = await capacity('capacity-after', 'after the fix');

    return {
      schema: 'tenon.demo/v1',
      dir,
      framework: o.framework,
      database: { kind: db.kind, url: db.displayUrl, initdbCached: database.fromCache },
      seed: database.seed,
      app: { url: app.url, pid: app.pid, dependencies: generated.dependencies },
      session: {
        authenticated: session.authenticated,
        email: session.email,
        userId: session.userId,
        note: session.note,
      },
      p99Target: o.p99Target,
      before,
      capacityBefore,
      analysis,
      planted,
      plantedByLoad,
      fix,
      after,
      capacityAfter,
      timings,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
    };
  } finally {
    // Last acquired, first released: the app before the wire server it talks to, the wire server
    // before the database under it (closing PGlite first left the server's sessions on a closed instance).
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}
