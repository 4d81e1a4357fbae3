import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbSignalSampler } from '../../src/analyze/index.js';
import { connect, type Database } from '../../src/core/db/index.js';
import { runTenon } from '../support/cli.js';
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
      const run = await runTenon([
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
      ]).finally(() => temp.drop());
      const result = JSON.parse(run.stdout);
      expect(result.signals.db.series.length).toBeGreaterThanOrEqual(2);
      expect(result.signals.db.series[0].connections.max).toBeGreaterThan(0);
      expect(result.signals.process.series.length).toBeGreaterThanOrEqual(2);
      expect(result.signals.db.overhead.statementsPerSecond).toBeGreaterThan(0);
      if (result.signals.db.statements === null)
        expect(result.signals.db.notes.join('\n')).toMatch(/pg_stat_statements/);
      expect(result.bottlenecks.filter((b: { kind: string }) => b.kind !== 'generator')).toEqual([]);
    },
    30_000,
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
