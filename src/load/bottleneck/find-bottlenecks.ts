import type { DbSignals, LockBlocker, ServerSignals } from '../../core/signals/server-signals.js';
import type { LoadResult } from '../load-result.js';
import type { Bottleneck } from './bottleneck.js';
import { applyHostCpu } from './host-side.js';
import { ms, oneLine, pct, shellQuote } from './verdict-text.js';

/** The run's figures the verdict reads (everything but the verdict itself). */
export type VerdictInput = Omit<LoadResult, 'recommendations' | 'bottlenecks' | 'signals'>;

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const r1 = (v: number) => Math.round(v * 10) / 10;
const r2 = (v: number) => Math.round(v * 100) / 100;

/** Share of each request's server time that the database was busy for it: DB time per request over service time. */
function dbTimePerRequest(r: VerdictInput, db: DbSignals): { ms: number; source: string } | undefined {
  const requests = r.requests.total;
  if (requests === 0) return undefined;
  if (db.statements) return { ms: db.statements.totalMs / requests, source: 'pg_stat_statements' };
  const active = db.series.filter((p) => p.sessions).map((p) => p.sessions!.active);
  if (active.length === 0) return undefined;
  // Average active sessions × seconds = session-seconds spent in statements.
  return { ms: (mean(active) * r.durationSeconds * 1000) / requests, source: 'sampled active sessions' };
}

function topBlocker(db: DbSignals): LockBlocker | undefined {
  const seen = new Map<string, LockBlocker & { samples: number }>();
  for (const p of db.series) {
    for (const b of p.blockers) {
      const key = `${b.pid}\u0000${b.query}`;
      const prev = seen.get(key);
      seen.set(key, {
        ...b,
        blocked: Math.max(b.blocked, prev?.blocked ?? 0),
        waitedMs: Math.max(b.waitedMs, prev?.waitedMs ?? 0),
        samples: (prev?.samples ?? 0) + 1,
      });
    }
  }
  // The head of a lock queue first: the sessions behind it block each other too.
  const best = [...seen.values()].sort(
    (a, b) => Number(b.root) - Number(a.root) || b.samples - a.samples || b.blocked - a.blocked,
  )[0];
  if (!best) return undefined;
  const { samples: _samples, ...blocker } = best;
  return blocker;
}

function clientSide(r: VerdictInput): Bottleneck[] {
  const out: Bottleneck[] = [];
  if (r.generator.saturated) {
    out.push({
      kind: 'generator',
      score: 0.95,
      message: `The load generator itself could not keep up (${r.generator.reasons.join('; ')}): the figures describe the client as much as the server.`,
      evidence: {
        lagP99Ms: r.generator.eventLoopLag.p99,
        late: r.schedule?.late ?? 0,
        cpuCores: r.generator.cpuCores,
      },
      dig: ['tenon load … --workers N (more threads), or run the generator on another machine'],
    });
  }
  const total = r.requests.total;
  const e = r.errors.byCategory;
  const limited = total ? e.rateLimited / total : 0;
  const refused = total ? (e.refused + e.reset + e.connectTimeout) / total : 0;
  const other = total ? e.other / total : 0;
  const share = Math.max(limited, refused, other);
  if (share >= 0.05) {
    // ECONNREFUSED means no listener (a full backlog drops SYNs: connect timeouts), so
    // mostly-refused connections are a server that is down or restarting, not a limit.
    const down =
      !(limited >= refused && limited >= other) &&
      refused >= other &&
      e.refused * 2 > e.refused + e.reset + e.connectTimeout;
    const what =
      limited >= refused && limited >= other
        ? `${pct(limited)}% of requests were refused with 429 by the target's rate limit`
        : down
          ? `${pct(refused)}% of requests failed at the connection (refused ${e.refused}, reset ${e.reset}, connect timeout ${e.connectTimeout}): nothing listened on the port for most of them — the server was down, restarting or on another port`
          : refused >= other
            ? `${pct(refused)}% of requests failed at the connection (refused ${e.refused}, reset ${e.reset}, connect timeout ${e.connectTimeout}): a connection limit, the listen backlog or a proxy`
            : `${pct(other)}% of requests failed with socket errors (too many open files? check ulimit -n on both sides)`;
    out.push({
      kind: 'limits',
      score: Math.min(1, 0.5 + share / 2),
      message: `Limits, not capacity: ${what}.`,
      evidence: {
        requests: total,
        rateLimited: e.rateLimited,
        refused: e.refused,
        reset: e.reset,
        connectTimeout: e.connectTimeout,
        other: e.other,
        ...r.errors.rateLimitHeaders,
      },
      dig: down
        ? [
            `check that the server runs and stays up (its logs, its port): ${hostPort(r)}`,
            'ss -ltnp (what listens on this machine)',
          ]
        : [
            'tenon load … --expect-status 200,429 (measure the limit itself), or raise the limit for the test',
            'ulimit -n (open files) on the generator and the server',
          ],
    });
  }
  return out;
}

function appSide(signals: ServerSignals): Bottleneck[] {
  const out: Bottleneck[] = [];
  const proc = signals.process?.series.filter((p) => p.second >= 0.5) ?? [];
  const m = signals.metrics?.series ?? [];
  const main = mean(proc.map((p) => p.mainThreadCpu));
  const waiting = mean(proc.map((p) => p.mainThreadWaiting));
  const elu = mean(m.filter((p) => p.eventLoopUtilization !== undefined).map((p) => p.eventLoopUtilization!));
  const lag = Math.max(0, ...m.map((p) => p.eventLoopLagMs ?? 0));
  const metricsCpu = mean(m.filter((p) => p.cpu !== undefined).map((p) => p.cpu!));
  // Demand on the main thread: on a CPU, or runnable and waiting for one.
  const demand = main + waiting;
  // On a shared machine the thread may get only part of a core: busy or waiting for one nearly all the time is saturated too.
  const fromPid = proc.length > 0 && (main >= 0.8 || (demand >= 0.85 && main >= 0.2));
  const fromMetrics = elu >= 0.9 || (metricsCpu >= 0.9 && lag >= 50);
  if (fromPid || fromMetrics) {
    const parts: string[] = [];
    if (proc.length > 0)
      parts.push(
        `its main thread used ${r2(main)} cores${waiting >= 0.05 ? ` and waited for a CPU ${pct(waiting)}% of the time` : ''} (process ${signals.process!.pid}: ${r2(mean(proc.map((p) => p.cpu)))} cores in all)`,
      );
    if (elu > 0) parts.push(`event-loop utilization ${pct(elu)}%`);
    if (lag > 0) parts.push(`event-loop lag p99 up to ${ms(lag)}`);
    out.push({
      kind: 'app-cpu',
      score: Math.min(1, Math.max(demand, elu)),
      message: `The app's CPU: ${parts.join(', ')}. A Node process runs its JavaScript on one thread: near one core there, requests queue behind each other.`,
      evidence: {
        mainThreadCores: r2(main),
        mainThreadWaitingPct: pct(waiting),
        processCores: r2(mean(proc.map((p) => p.cpu))),
        eventLoopUtilizationPct: pct(elu),
        eventLoopLagMaxMs: lag,
      },
      dig: [
        'node --cpu-prof (or --prof) on the server under the same load, then open the profile: the hot handler is on top',
        'run more processes (cluster, replicas) once the handler is as cheap as it gets',
      ],
    });
  }
  // The machine, not the app: the main thread was ready to run most of the time but got little
  // of a core. Its latency then measures the other processes' hold on the CPUs (the generator,
  // the database, unrelated work), and every other verdict's shares are skewed by that wait.
  if (!fromPid && proc.length > 0 && waiting >= 0.5 && main < 0.5) {
    out.push({
      kind: 'host-cpu',
      score: Math.min(0.9, waiting),
      message: `The machine's CPUs: the app's main thread was ready to run but waited for a CPU ${pct(waiting)}% of the time, using ${r2(main)} cores: other processes on this machine (the load generator, the database, other work) hold the cores, so latency here measures their contention more than the app.`,
      evidence: { mainThreadWaitingPct: pct(waiting), mainThreadCores: r2(main) },
      dig: [
        'uptime and top -H on the target machine: what else runs, and the load average against the cores',
        'run the generator on another machine (or pin the app and the generator to separate cores with taskset) and measure again',
      ],
    });
  }
  const gc = m.filter((p) => p.gcMsPerSecond !== undefined).map((p) => p.gcMsPerSecond!);
  const gcShare = mean(gc) / 1000;
  const heap = m.filter((p) => p.heapUsedMb !== undefined);
  const heapFull = heap.some((p) => p.heapTotalMb && p.heapUsedMb! / p.heapTotalMb >= 0.95);
  if (gcShare >= 0.1 || (heapFull && gcShare >= 0.05)) {
    out.push({
      kind: 'gc-memory',
      score: Math.min(1, gcShare * 3),
      message: `Garbage collection: ${pct(gcShare)}% of the time went to GC${heap.length ? `, heap ${r1(heap.at(-1)!.heapUsedMb!)} MiB used of ${r1(heap.at(-1)!.heapTotalMb ?? 0)}` : ''}. Allocation per request, or a heap too small for the load.`,
      evidence: { gcPct: pct(gcShare), heapUsedMb: heap.at(-1)?.heapUsedMb ?? 0 },
      dig: ['node --trace-gc, or a heap profile (--heap-prof) under the same load'],
    });
  }
  return out;
}

function databaseSide(r: VerdictInput, db: DbSignals, signals: ServerSignals): Bottleneck[] {
  const out: Bottleneck[] = [];
  // 0 when nothing succeeded: every use below asks for service > 0.
  const service = r.latency.service.mean ?? 0;
  const perRequest = dbTimePerRequest(r, db);
  const dbShare = perRequest && service > 0 ? Math.min(1, perRequest.ms / service) : 0;
  const withSessions = db.series.filter((p) => p.sessions && p.sessions.active > 0);
  const lockShare = mean(withSessions.map((p) => p.sessions!.waitingOnLock / p.sessions!.active));
  const url = shellQuote(db.url);

  const blocker = topBlocker(db);
  if (lockShare >= 0.25 && blocker) {
    out.push({
      kind: 'lock-contention',
      score: Math.min(1, lockShare + 0.1),
      message: `Lock contention: ${pct(lockShare)}% of the database's active sessions waited on a lock; session ${blocker.pid} (${blocker.state ?? 'unknown state'}) blocked up to ${blocker.blocked} at once, holding its lock ${ms(blocker.waitedMs)}+ with: ${oneLine(blocker.query)}${blocker.blockedQuery ? ` — waiting: ${oneLine(blocker.blockedQuery, 100)}` : ''}.`,
      evidence: {
        lockWaitPct: pct(lockShare),
        blockerPid: blocker.pid,
        blockerState: blocker.state ?? '',
        blockedMax: blocker.blocked,
        waitedMaxMs: blocker.waitedMs,
      },
      blocker,
      dig: [
        `tenon db analyze --only blocked-query,long-running-query --database-url ${url}`,
        'keep transactions short: no network calls or user think time between BEGIN and COMMIT; take row locks in one order',
      ],
    });
  }

  // Pool: the app's sessions are all busy while requests spend most of their time waiting, not in the database.
  const m = signals.metrics?.series ?? [];
  const waitingClients = m.filter((p) => p.poolWaiting !== undefined).map((p) => p.poolWaiting!);
  // The app: the client with the most active sessions over the run (its pool), apart from psql and the like.
  const activeBy = new Map<string, number>();
  for (const p of db.series)
    for (const c of p.clients) activeBy.set(c.client, (activeBy.get(c.client) ?? 0) + c.active);
  const app = [...activeBy].sort((a, b) => b[1] - a[1])[0]?.[0];
  const sessions = db.series
    .map((p) => p.clients.find((c) => c.client === app))
    .filter((c): c is NonNullable<typeof c> => c !== undefined && c.total > 0);
  // Busy: in a statement or a transaction. Not `allBusy`: handing a session to the next waiting request
  // takes an event-loop turn in the app, during which it shows idle, so even an exhausted pool looks idle at times
  // (an app whose CPU is the limit leaves its sessions idle far more: its queries come one at a time).
  const busyShare = mean(sessions.map((s) => (s.active + s.idleInTransaction) / s.total));
  // A starved app (a busy machine) hands sessions on slowly: 40 % busy while requests wait 90 % of their time is exhaustion too.
  const allBusy = sessions.length > 0 && busyShare >= 0.4;
  const conn = db.series.find((p) => p.connections)?.connections;
  const atMax = db.series.some((p) => p.connections && p.connections.server >= p.connections.max * 0.95);
  const waitShare = perRequest && service > 0 ? Math.max(0, 1 - perRequest.ms / service) : 0;
  const poolMax = m.find((p) => p.poolMax !== undefined)?.poolMax;
  if (
    (mean(waitingClients) >= 1 || (allBusy && lockShare < 0.25)) &&
    waitShare >= 0.5 + (busyShare < 0.5 ? 0.4 : 0)
  ) {
    const size = Math.round(mean(sessions.map((s) => s.total)));
    out.push({
      kind: 'pool',
      score: Math.min(1, waitShare),
      message: atMax
        ? `Connections exhausted: the server is at max_connections (${conn?.max}); requests spend ${pct(waitShare)}% of their time waiting for a connection, not in statements (${ms(perRequest!.ms)} per request).`
        : `Connection pool exhausted: the app's ${size} database session${size === 1 ? ' was' : 's were'} busy ${pct(busyShare)}% of the time${waitingClients.length ? `, ${r1(mean(waitingClients))} clients waiting for one on average` : ''}, while requests spend ${pct(waitShare)}% of their time waiting (database ${ms(perRequest!.ms)} of ${ms(service)} per request). The server allows ${conn ? conn.max : 'more'} connections${poolMax ? `; the pool's max is ${poolMax}` : ''}.`,
      evidence: {
        appSessions: size,
        busyPct: pct(busyShare),
        ...(waitingClients.length ? { waitingClients: r1(mean(waitingClients)) } : {}),
        dbMsPerRequest: r2(perRequest!.ms),
        serviceMeanMs: r2(service),
        serverConnections: conn?.server ?? 0,
        maxConnections: conn?.max ?? 0,
        ...(poolMax ? { poolMax } : {}),
      },
      dig: [
        "raise the app's pool max (a tenon-generated app: the Pool's max in src/db), keeping the sum over replicas under max_connections",
        'or make each checkout shorter: fewer statements per request, no awaits on other services while a client is held',
      ],
    });
  }

  // The database: most of each request's server time is statement time. The embedded database
  // runs one statement at a time, and requests queue for it unseen: there, its busy share of the run counts.
  const dbScore = dbShare * (1 - lockShare);
  const busy =
    db.kind === 'pglite' && db.statements ? db.statements.totalMs / Math.max(1, r.durationSeconds * 1000) : 0;
  if (perRequest && (dbScore >= 0.5 || busy >= 0.4)) {
    const top = db.statements?.top[0];
    const why =
      dbScore >= 0.5
        ? `statements take ${ms(perRequest.ms)} of the ${ms(service)} each request spends on the server (${pct(dbShare)}%)`
        : `the embedded database runs one statement at a time and was busy ${pct(busy)}% of the run, so requests queue for it (statements ${ms(perRequest.ms)} of the ${ms(service)} per request)`;
    out.push({
      kind: 'database',
      score: Math.min(1, Math.max(dbScore, busy)),
      message: top
        ? `The database: ${why}; the heaviest is ${pct(top.sharePct / 100)}% of statement time (${top.calls} calls, mean ${ms(top.meanMs)}, ${top.calls ? r1(top.rows / top.calls) : 0} rows per call): ${oneLine(top.query)}`
        : `The database: sessions were active ${ms(perRequest.ms)} of the ${ms(service)} each request spends on the server (${pct(dbShare)}%, from ${perRequest.source}); without pg_stat_statements no statement can be named.`,
      evidence: {
        dbMsPerRequest: r2(perRequest.ms),
        serviceMeanMs: r2(service),
        dbSharePct: pct(dbShare),
        ...(busy > 0 ? { busyPct: pct(busy) } : {}),
        source: perRequest.source,
        ...(top
          ? { topSharePct: top.sharePct, topCalls: top.calls, topMeanMs: top.meanMs, topQueryId: top.queryId }
          : {}),
      },
      ...(top ? { statement: top } : {}),
      dig: top
        ? [
            `tenon db explain ${shellQuote(oneLine(top.query, 100_000))} --database-url ${url}`,
            `tenon db suggest-indexes --database-url ${url}`,
          ]
        : [
            'CREATE EXTENSION pg_stat_statements, then run again to name the statement',
            `tenon db analyze --database-url ${url}`,
          ],
    });
  }
  return out;
}

/**
 * Names where the run's time went, from the client figures and the server
 * signals: ranked candidates, each with the numbers it rests on and the
 * commands to dig further. A healthy run names nothing: every candidate
 * needs its evidence past a bar (5% of requests refused, the main thread
 * near a core, most of each request's time in statements or waiting for a
 * pool connection, a quarter of the active sessions waiting on locks, the
 * machine's CPUs 85 % busy: see {@link applyHostCpu}).
 */
export function findBottlenecks(r: VerdictInput, signals: ServerSignals | null): Bottleneck[] {
  let out = clientSide(r);
  if (signals) {
    out.push(...appSide(signals));
    if (signals.db) out.push(...databaseSide(r, signals.db, signals));
    out = applyHostCpu(r, signals, out);
  }
  return out.sort((a, b) => b.score - a.score).map((b) => ({ ...b, score: r2(b.score) }));
}

/** The target's `host:port`, or its hosts' (several URLs), as the dig line names them. */
function hostPort(r: Pick<VerdictInput, 'options'>): string {
  const hosts = new Set(r.options.urls.map((u) => new URL(u).host));
  return [...hosts].join(', ');
}
