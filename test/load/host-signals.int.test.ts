import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbSignalSampler } from '../../src/analyze/index.js';
import type { DbSignalSource, DbSignals } from '../../src/core/signals/server-signals.js';
import { runLoad } from '../../src/load/index.js';
import { startHttpServer, type TestServer } from '../support/load-servers.js';
import { createTempDatabase, requireExtPostgres, type TempDatabase } from '../support/services.js';

const ext = await requireExtPostgres();
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

describe.skipIf(process.platform !== 'linux')('the machine’s CPU during a run (Linux /proc)', () => {
  it('is sampled on every run, and a machine held by other processes is named host-cpu with its figures', async () => {
    const target = await startHttpServer((_req, res) => res.end('ok'));
    // Busy loops, two per CPU, so the machine is saturated whatever else runs on it; killed by their pids.
    const spinners: ChildProcess[] = Array.from({ length: os.cpus().length * 2 }, () =>
      spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
    );
    try {
      await sleep(300);
      const r = await runLoad({ urls: [target.url], workers: 1, rate: 20, duration: '3s' });
      const host = r.signals!.host!;
      expect(host.cpus).toBe(os.cpus().length);
      expect(host.series.length).toBeGreaterThanOrEqual(2);
      for (const p of host.series) {
        expect(p.busy).toBeGreaterThanOrEqual(0);
        expect(p.busy).toBeLessThanOrEqual(1);
        expect(p.busyCores).toBeLessThanOrEqual(host.cpus);
      }
      expect(mean(host.series.map((p) => p.busy))).toBeGreaterThanOrEqual(0.85);
      expect(Math.max(...host.series.map((p) => p.running))).toBeGreaterThanOrEqual(host.cpus);
      const named = r.bottlenecks.find((b) => b.kind === 'host-cpu');
      expect(named, JSON.stringify(r.bottlenecks)).toBeDefined();
      expect(named!.evidence.hostBusyPct).toBeGreaterThanOrEqual(85);
      // The busy loops are neither the app nor the database: what is left over holds the cores.
      expect(named!.evidence.otherCores).toBeGreaterThan(named!.evidence.generatorCores as number);
      expect(named!.dig.join('\n')).toMatch(/top -b/);
      expect(r.bottlenecks.map((b) => b.kind)).not.toContain('database');
    } finally {
      for (const s of spinners) s.kill('SIGKILL');
      await target.close();
    }
  }, 60_000);
});

describe.skipIf(!ext.available || process.platform !== 'linux')(
  '--db on this machine: the server’s CPU, and a baseline read before the load',
  () => {
    let temp: TempDatabase;
    let pool: pg.Pool;
    let server: TestServer;
    let sql = 'select 1';

    beforeAll(async () => {
      temp = await createTempDatabase(ext.url, 'tenon_hostcpu');
      pool = new pg.Pool({ connectionString: temp.url, max: 4, application_name: 'hostcpu-app' });
      // The drop in afterAll terminates backends (drop … with force) while an ended client may still be
      // reading: its FATAL 57P01 reaches the pool as an 'error', which without a listener is uncaught
      // and fails the whole run (seen in CI). A lost connection mid-test still fails its query.
      pool.on('error', () => {});
      await pool.query('create extension if not exists pg_stat_statements; create table hc_first (id int)');
      server = await startHttpServer((_req, res) => {
        pool.query(sql).then(
          () => res.end('ok'),
          (error: Error) => {
            res.statusCode = 500;
            res.end(error.message);
          },
        );
      });
    }, 60_000);

    afterAll(async () => {
      await server?.close();
      await pool?.end();
      await temp?.drop();
    });

    it('reads the CPU of the server’s backends from /proc (the throwaway cluster runs here)', async () => {
      // A statement that costs the server CPU: counting a generated series.
      sql = 'select count(*) from generate_series(1, 200000) as hc_cpu';
      const r = await runLoad({
        urls: [server.url],
        workers: 1,
        rate: 20,
        duration: '3s',
        signals: { db: createDbSignalSampler({ db: temp.url }) },
      });
      const db = r.signals!.db!;
      expect(db.cpu.local, db.cpu.reason).toBe(true);
      expect(db.cpu.postmasterPid).toBeGreaterThan(0);
      const cpu = db.series.map((p) => p.cpu);
      expect(cpu.every((c) => c !== undefined && c >= 0)).toBe(true);
      // 20 statements a second of a few ms of CPU each: well above zero, whatever the machine's load.
      expect(cpu.reduce((a, b) => a! + b!, 0)).toBeGreaterThan(0.02);
      expect(r.signals!.host!.series.length).toBeGreaterThanOrEqual(2);
    }, 60_000);

    it('waits for the first pg_stat_statements snapshot before the load: every request’s statement is counted', async () => {
      sql = 'select count(*) from hc_first';
      // The app's pool connected before the run, as a running app's is: its first statements then run
      // in the first milliseconds of the load, which a baseline read late would count as before the run.
      await Promise.all([1, 2, 3, 4].map(() => pool.query('select 1')));
      const r = await runLoad({
        urls: [server.url],
        workers: 1,
        connections: 4,
        requests: 80,
        signals: { db: createDbSignalSampler({ db: temp.url }) },
      });
      const db = r.signals!.db!;
      const ours = db.statements?.top.find((s) => /hc_first/.test(s.query));
      expect(ours?.calls, JSON.stringify(db.statements?.top)).toBe(r.requests.ok);
      expect(db.series[0]?.statements?.calls).toBeGreaterThan(0);
    }, 60_000);
  },
);

describe('a --db that does not answer its baseline', () => {
  it('fails the run with TENON_LOAD_SIGNALS_TIMEOUT before any request is sent', async () => {
    const target = await startHttpServer((_req, res) => res.end('ok'));
    const silent: DbSignalSource = {
      start: async () => {},
      // An answer that never comes: a server stopped (SIGSTOP) or a network black hole.
      sample: () => new Promise(() => {}),
      finish: async () => ({}) as DbSignals,
      advise: async () => ({ plan: [], indexes: [], notes: [] }),
      close: async () => {},
    };
    try {
      await expect(
        runLoad({
          urls: [target.url],
          workers: 1,
          rate: 10,
          duration: '1s',
          signals: { db: silent, readyTimeoutMs: 500 },
        }),
      ).rejects.toMatchObject({ code: 'TENON_LOAD_SIGNALS_TIMEOUT' });
      expect(target.requests).toBe(0);
    } finally {
      await target.close();
    }
  }, 30_000);
});
