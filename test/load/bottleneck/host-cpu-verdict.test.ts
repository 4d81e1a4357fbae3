import { describe, expect, it } from 'vitest';
import type { DbSignals, ServerSignals } from '../../../src/core/signals/server-signals.js';
import { findBottlenecks } from '../../../src/load/index.js';
import { hostSignals } from '../../support/host-signals.js';

/** The client figures the verdict reads: 1,000 requests in 10 s, mean service 20 ms, a punctual generator. */
function run(options: { generatorSaturated?: boolean; generatorCores?: number; serviceMs?: number } = {}) {
  return {
    durationSeconds: 10,
    requests: { total: 1000 },
    errors: {
      byCategory: { rateLimited: 0, refused: 0, reset: 0, connectTimeout: 0, other: 0 },
      rateLimitHeaders: {},
    },
    latency: { service: { count: 1000, mean: options.serviceMs ?? 20 } },
    generator: {
      saturated: options.generatorSaturated ?? false,
      reasons: options.generatorSaturated ? ['12% of sends left more than 10 ms late'] : [],
      eventLoopLag: { mean: 1, p50: 1, p99: 30, max: 50 },
      cpuCores: options.generatorCores ?? 0.2,
    },
    schedule: { late: options.generatorSaturated ? 120 : 0 },
  } as unknown as Parameters<typeof findBottlenecks>[0];
}

/** Ten one-second points of the machine at `busy` (share of all CPUs) with `running` runnable threads, around the mean. */
const host = (busy: number, cpus = 2, running = 3) => hostSignals(busy, { cpus, running, jitter: 0.02 });

/** A database on this machine whose processes used `cpu` cores, its statements `dbMsPerRequest` per request. */
function db(cpu: number | undefined, dbMsPerRequest = 8.2): DbSignals {
  const totalMs = dbMsPerRequest * 1000;
  return {
    url: 'postgres://app@127.0.0.1:5432/pagila',
    kind: 'postgres',
    serverVersion: 170000,
    notes: [],
    series: Array.from({ length: 10 }, (_, i) => ({
      second: i + 1,
      sessions: { total: 10, active: 1, idle: 9, idleInTransaction: 0, waitingOnLock: 0 },
      clients: [],
      waitEvents: {},
      blockers: [],
      connections: { server: 12, max: 100 },
      cacheHitRatio: 1,
      tempFiles: 0,
      tempBytes: 0,
      deadlocks: 0,
      statements: null,
      ...(cpu !== undefined ? { cpu } : {}),
    })),
    statements: {
      calls: 3000,
      totalMs,
      top: [
        {
          queryId: '42',
          query: 'select * from film f join film_actor fa using (film_id) where fa.actor_id = $1',
          calls: 1000,
          totalMs: totalMs * 0.7,
          rows: 27000,
          meanMs: (totalMs * 0.7) / 1000,
          sharePct: 70,
        },
      ],
    },
    cpu:
      cpu !== undefined
        ? { local: true, postmasterPid: 4000 }
        : { local: false, reason: 'not on this machine' },
    overhead: { statementsPerSecond: 6, meanSampleMs: 10 },
  };
}

function app(cpu: number) {
  return {
    pid: 5000,
    name: 'node',
    notes: [],
    series: Array.from({ length: 10 }, (_, i) => ({
      second: i + 1,
      cpu,
      mainThreadCpu: Math.min(cpu, 0.3),
      mainThreadWaiting: 0.2,
      rssMb: 90,
    })),
  };
}

function signals(parts: Partial<ServerSignals>): ServerSignals {
  return { intervalMs: 1000, host: null, db: null, process: null, metrics: null, ...parts };
}

const kinds = (bs: { kind: string }[]) => bs.map((b) => b.kind);

describe('the verdict on the machine’s CPU', () => {
  it('names the database when the machine is saturated and its server holds a large share, with the numbers (41% of service time)', () => {
    // The stranger's run: Pagila on the same 2-core machine as the app; statements 41 % of each request's server time.
    const out = findBottlenecks(
      run({ serviceMs: 20 }),
      signals({ host: host(0.97), db: db(1.1, 8.2), process: app(0.5) }),
    );
    const named = out.find((b) => b.kind === 'database');
    expect(named).toBeDefined();
    expect(named!.evidence.dbCpuCores).toBe(1.1);
    expect(named!.evidence.dbCpuSharePct).toBeGreaterThan(50);
    expect(named!.evidence.hostBusyPct).toBe(97);
    expect(named!.evidence.hostCpus).toBe(2);
    expect(named!.message).toMatch(/saturated.*2 CPUs 97% busy.*database server's processes held 1\.1 cores/);
    expect(named!.message).toMatch(/41%/);
    expect(named!.statement?.queryId).toBe('42');
    expect(named!.dig.join('\n')).toMatch(/tenon db explain/);
    expect(named!.dig.join('\n')).toMatch(/--ppid 4000/);
    // Not "other processes": the machine's holder is known.
    expect(kinds(out)).not.toContain('host-cpu');
  });

  it('adds the CPU figures to a database already named by its statement time', () => {
    const out = findBottlenecks(run(), signals({ host: host(0.95), db: db(1.2, 15) }));
    const named = out.filter((b) => b.kind === 'database');
    expect(named).toHaveLength(1);
    expect(named[0]!.evidence.dbSharePct).toBe(75);
    expect(named[0]!.evidence.dbCpuCores).toBe(1.2);
    expect(named[0]!.dig.join('\n')).toMatch(/tenon db explain[\s\S]*--ppid 4000/);
  });

  it('names host-cpu with the machine’s figures when neither the app nor the database holds it', () => {
    const out = findBottlenecks(
      run(),
      signals({ host: host(0.96, 2, 9), db: db(0.1, 1), process: app(0.2) }),
    );
    expect(kinds(out)).toEqual(['host-cpu']);
    const h = out[0]!;
    expect(h.evidence).toMatchObject({ hostCpus: 2, hostBusyPct: 96, hostRunQueuePerCpu: 4.5 });
    expect(h.evidence.otherCores).toBeGreaterThan(1.3);
    expect(h.message).toMatch(/other processes on this machine/);
    expect(h.dig.join('\n')).toMatch(/top -b/);
  });

  it('says what it could not attribute when the app and the database are unread', () => {
    const out = findBottlenecks(run(), signals({ host: host(0.95) }));
    expect(kinds(out)).toEqual(['host-cpu']);
    expect(out[0]!.message).toMatch(/no process tenon can see.*Not attributed: the app's CPU/);
  });

  it('names the app when it holds a saturated machine', () => {
    const out = findBottlenecks(run(), signals({ host: host(0.97), process: app(1.5) }));
    const named = out.find((b) => b.kind === 'app-cpu');
    expect(named?.evidence.appCpuSharePct).toBeGreaterThan(70);
    expect(kinds(out)).not.toContain('host-cpu');
  });

  it('ranks a late generator below the saturated machine, and says why it is late', () => {
    const out = findBottlenecks(
      run({ generatorSaturated: true }),
      signals({ host: host(0.98), db: db(1.3, 5) }),
    );
    expect(kinds(out)[0]).toBe('database');
    const generator = out.find((b) => b.kind === 'generator');
    expect(generator?.message).toMatch(/gets too little CPU/);
    expect(generator!.score).toBeLessThan(out[0]!.score);
  });

  it('says the generator holds the machine when it does', () => {
    const out = findBottlenecks(
      run({ generatorSaturated: true, generatorCores: 1.6 }),
      signals({ host: host(0.95) }),
    );
    expect(out.find((b) => b.kind === 'host-cpu')?.message).toMatch(/load generator itself held 1\.6 cores/);
    expect(out.find((b) => b.kind === 'generator')?.message).not.toMatch(/too little CPU/);
  });

  it('names nothing on a machine with CPU to spare, whoever uses it', () => {
    expect(findBottlenecks(run(), signals({ host: host(0.5), db: db(0.8, 5), process: app(0.2) }))).toEqual(
      [],
    );
    expect(findBottlenecks(run(), signals({ host: host(0.8) }))).toEqual([]);
  });

  it('adds the machine’s figures to the --pid host-cpu reading (the app waited for a CPU)', () => {
    const waiting = app(0.1);
    for (const p of waiting.series) p.mainThreadWaiting = 0.7;
    const out = findBottlenecks(run(), signals({ host: host(0.6), process: waiting }));
    expect(kinds(out)).toEqual(['host-cpu']);
    expect(out[0]!.evidence).toMatchObject({ mainThreadWaitingPct: 70, hostBusyPct: 60 });
  });
});
