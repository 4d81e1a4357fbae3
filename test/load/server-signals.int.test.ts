import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbSignalSampler } from '../../src/analyze/index.js';
import { connect, type Database } from '../../src/core/db/index.js';
import type { DbSignals } from '../../src/core/signals/server-signals.js';
import { findBottlenecks, runLoad } from '../../src/load/index.js';
import { runTenon } from '../support/cli.js';
import { withCpuPressure } from '../support/cpu-pressure.js';
import { startHttpServer, type TestServer } from '../support/load-servers.js';
import { createTempDatabase, requirePostgres } from '../support/services.js';

const server = await requirePostgres();

describe('tenon load --db/--pid/--metrics on the command line', () => {
  let target: TestServer;
  beforeAll(async () => {
    target = await startHttpServer((_req, res) => res.end('ok'));
  });
  afterAll(() => target.close());

  it('refuses a --db that is not a server URL and a --metrics that is not http, before any load', async () => {
    const db = await runTenon(['load', target.url, '-n', '5', '--db', 'pglite://.tenon/pglite']);
    expect(db.code).toBe(2);
    expect(db.stderr).toMatch(/TENON_LOAD_OPTIONS_INVALID[\s\S]*library/);
    const metrics = await runTenon(['load', target.url, '-n', '5', '--metrics', 'localhost:9464']);
    expect(metrics.code).toBe(2);
    const pid = await runTenon(['load', target.url, '-n', '5', '--pid', String(2 ** 22 + 3)]);
    expect(pid.code).toBe(2);
    expect(pid.stderr).toMatch(/TENON_LOAD_PID_INVALID/);
    expect(target.requests).toBe(0);
  });

  it.skipIf(!server.available)(
    '--db (a server without pg_stat_statements) and --pid: signals in the JSON, notes on what is missing, nothing named',
    async () => {
      // Its own database: the shared one has other tests' sessions, which are not this target's.
      const temp = await createTempDatabase();
      const { result: run } = await withCpuPressure(() =>
        runTenon([
          'load',
          target.url,
          '--rate',
          '50',
          '-d',
          '2s',
          '--workers',
          '1',
          '--db',
          temp.url,
          '--pid',
          String(process.pid),
          '--json',
        ]),
      ).finally(() => temp.drop());
      const result = JSON.parse(run.stdout);
      expect(result.signals.db.series.length).toBeGreaterThanOrEqual(2);
      expect(result.signals.db.series[0].connections.max).toBeGreaterThan(0);
      expect(result.signals.process.series.length).toBeGreaterThanOrEqual(2);
      expect(result.signals.db.overhead.statementsPerSecond).toBeGreaterThan(0);
      if (result.signals.db.statements === null)
        expect(result.signals.db.notes.join('\n')).toMatch(/pg_stat_statements/);
      // Nothing about the target. A busy machine may flag the generator (a finding about the client)
      // and the machine's saturation (host-cpu: other processes hold its CPUs), not this target.
      expect(
        result.bottlenecks.filter((b: { kind: string }) => b.kind !== 'generator' && b.kind !== 'host-cpu'),
        JSON.stringify(result.bottlenecks),
      ).toEqual([]);
      expect(result.signals.host.series.length).toBeGreaterThanOrEqual(1);
    },
  );
});

describe('the database sampler on the embedded database (PGlite)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await connect({ databaseUrl: 'pglite://memory' });
    await db.exec(`create extension if not exists pg_stat_statements;
      create table t (id int primary key, v int); insert into t select g, g from generate_series(1, 2000) g;`);
  });
  afterAll(() => db.close());

  it('reads statements and database counters, and says sessions and locks do not exist there', async () => {
    const sampler = createDbSignalSampler({ db });
    await sampler.start();
    await sampler.sample(0);
    for (let i = 0; i < 20; i++) await db.query('select sum(v) from t where v > $1', [i]);
    await sampler.sample(1);
    const signals = await sampler.finish();
    await sampler.close();
    expect(signals.kind).toBe('pglite');
    expect(signals.notes.join('\n')).toMatch(/PGlite has one connection/);
    expect(signals.series).toHaveLength(1);
    expect(signals.series[0]!.sessions).toBeNull();
    expect(signals.statements?.top[0]?.query).toMatch(/select sum\(v\) from t where v > \$1/);
    expect(signals.statements?.top[0]?.calls).toBe(20);
    // The sampler leaves the database open: it is the app's.
    expect((await db.query('select 1 as one')).rows[0]).toEqual({ one: 1 });
  });
});

describe('the verdict on the embedded database', () => {
  it('names it when it was busy most of the run (requests queue for its one connection unseen), not when idle', async () => {
    const target = await startHttpServer((_req, res) => res.end('ok'));
    const r = await runLoad({ urls: [target.url], rate: 20, duration: '1s', workers: 1 }).finally(() =>
      target.close(),
    );
    const pglite = (busyMs: number): DbSignals => ({
      url: 'pglite://memory',
      kind: 'pglite',
      serverVersion: 180000,
      notes: [],
      series: [],
      statements: {
        calls: 20,
        totalMs: busyMs,
        top: [
          {
            queryId: '1',
            query: 'select * from products where category = $1',
            calls: 20,
            totalMs: busyMs,
            rows: 20,
            meanMs: busyMs / 20,
            sharePct: 100,
          },
        ],
      },
      cpu: { local: false, reason: 'embedded' },
      overhead: { statementsPerSecond: 1, meanSampleMs: 1 },
    });
    const seconds = r.durationSeconds * 1000;
    const busy = findBottlenecks(r, {
      intervalMs: 1000,
      host: null,
      db: pglite(seconds * 0.6),
      process: null,
      metrics: null,
    });
    const named = busy.find((b) => b.kind === 'database');
    expect(named?.evidence.busyPct).toBe(60);
    expect(named?.statement?.query).toMatch(/products where category/);
    // 1% of each request's server time in statements, the database nearly idle.
    const idle = findBottlenecks(r, {
      intervalMs: 1000,
      host: null,
      db: pglite(r.latency.service.mean! * r.requests.total * 0.01),
      process: null,
      metrics: null,
    });
    expect(idle.filter((b) => b.kind === 'database')).toEqual([]);
  });
});

describe('the verdict on a machine whose CPUs other processes hold', () => {
  it('names host-cpu when the main thread waits for a CPU most of the time but uses little of one, app-cpu when it uses one', async () => {
    const target = await startHttpServer((_req, res) => res.end('ok'));
    const r = await runLoad({ urls: [target.url], rate: 20, duration: '1s', workers: 1 }).finally(() =>
      target.close(),
    );
    const process = (mainThreadCpu: number, mainThreadWaiting: number) => ({
      pid: 4242,
      name: 'node',
      notes: [],
      series: [1, 2, 3].map((second) => ({
        second,
        cpu: mainThreadCpu,
        mainThreadCpu,
        mainThreadWaiting,
        rssMb: 100,
      })),
    });
    const verdict = (cpu: number, waiting: number) =>
      findBottlenecks(r, {
        intervalMs: 1000,
        host: null,
        db: null,
        process: process(cpu, waiting),
        metrics: null,
      })
        .map((b) => b.kind)
        // The 1-second run itself may find its generator late on a loaded CI machine; that verdict
        // comes from the run, not from the process signals under test.
        .filter((kind) => kind !== 'generator');
    // The docs run on a loaded 2-core machine: 0.13 cores, ready but waiting 70 % of the time.
    expect(verdict(0.13, 0.7)).toContain('host-cpu');
    expect(verdict(0.13, 0.7)).not.toContain('app-cpu');
    // A thread that uses nearly a core is the app's own CPU, whatever it waits.
    expect(verdict(0.9, 0.05)).toEqual(['app-cpu']);
    // A quiet machine: little use, little waiting — nothing.
    expect(verdict(0.13, 0.05)).toEqual([]);
  });
});
