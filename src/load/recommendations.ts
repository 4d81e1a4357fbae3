import type { ServerSignals } from '../core/signals/server-signals.js';
import {
  describeHolders,
  describeHost,
  hostCpuFigures,
  hostEvidence,
} from './bottleneck/host-cpu-figures.js';
import { type DistributionBucket, isMeasured } from './histogram-summary.js';
import type { LoadResult, Recommendation } from './load-result.js';

type Draft = Omit<LoadResult, 'recommendations' | 'signals' | 'bottlenecks'>;

const ms = (v: number) => (v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(v >= 10 ? 1 : 2)} ms`);
const pct = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);
/** `ratelimit-limit` → `RateLimit-Limit`, `retry-after` → `Retry-After`. */
const headerCase = (name: string) =>
  name
    .split('-')
    .map((w) => (w === 'ratelimit' ? 'RateLimit' : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('-');

/**
 * The `rate-limited` finding, for plain and scenario runs alike: how many
 * requests got 429, the `Retry-After` / `RateLimit-*` headers the target
 * announced (lowercase names → first value seen), how to raise the limit.
 * `stayUnder` ends the advice with the run's own way out (its flags differ).
 */
export function rateLimitFinding(
  rateLimited: number,
  requests: number,
  headers: Record<string, string>,
  stayUnder: string,
): Recommendation {
  const seen = Object.entries(headers);
  const announced =
    seen.length > 0
      ? `It announced ${seen.map(([name, value]) => `${headerCase(name)}: ${value}`).join(', ')}.`
      : 'It sent no Retry-After or RateLimit-* header.';
  return {
    id: 'rate-limited',
    severity: 'warning',
    message: `${rateLimited} of ${requests} requests (${pct(rateLimited, requests)}%) were refused with 429 Too Many Requests: the target's rate limit answered, not its capacity. ${announced} To measure the service, raise or disable the limit for the test (a tenon-generated app: RATE_LIMIT_MAX and RATE_LIMIT_WINDOW_MS), send from several client addresses, or ${stayUnder}.`,
    evidence: { rateLimited, requests, ...headers },
  };
}

/** `refused 50`, `429 rate limited 7, 5xx 3`: the categories that occurred. */
function describeErrors(errors: Draft['errors']['byCategory']): string {
  return Object.entries(errors)
    .filter(([, n]) => n > 0)
    .map(([category, n]) => `${category} ${n}`)
    .join(', ');
}

/**
 * Finds the two main humps of a latency distribution, when there are two:
 * a second peak holding ≥ 1 % of samples, at ≥ 4× the latency of the first,
 * with a valley between them under a fifth of the smaller peak.
 */
export function findBimodal(
  buckets: readonly DistributionBucket[],
): { fast: DistributionBucket; slow: DistributionBucket; slowShare: number } | undefined {
  const total = buckets.reduce((s, b) => s + b.count, 0);
  if (total < 100) return undefined;
  let first = 0;
  buckets.forEach((b, i) => {
    if (b.count > buckets[first]!.count) first = i;
  });
  let best: { i: number; valley: number } | undefined;
  for (let i = 0; i < buckets.length; i++) {
    if (Math.abs(i - first) < 6) continue; // 6 buckets at 10 per decade: ≥ 4× apart
    const [lo, hi] = i < first ? [i, first] : [first, i];
    const valley = Math.min(...buckets.slice(lo + 1, hi).map((b) => b.count));
    const peak = buckets[i]!.count;
    if (peak / total < 0.01 || valley > Math.min(peak, buckets[first]!.count) / 5) continue;
    if (!best || peak > buckets[best.i]!.count) best = { i, valley };
  }
  if (!best) return undefined;
  const [fastI, slowI] = best.i > first ? [first, best.i] : [best.i, first];
  const slowShare =
    buckets.slice(Math.floor((fastI + slowI) / 2) + 1).reduce((s, b) => s + b.count, 0) / total;
  return { fast: buckets[fastI]!, slow: buckets[slowI]!, slowShare };
}

/**
 * The generator missed its schedule. What to do depends on why, and the
 * machine's CPU figures (Linux) tell which: a saturated machine starved the
 * generator (move it or stop the other work); a busy worker on a machine
 * with idle CPU means one worker is not enough (`--workers`); a worker that
 * was mostly idle on an idle machine was delayed by something else (its
 * timers, GC, the scheduler), and only a tolerance (`--max-lateness`) or
 * another machine helps.
 */
function generatorSaturated(r: Draft, signals: ServerSignals | null): Recommendation {
  const busiest = Math.max(0, ...r.generator.perWorker.map((w) => w.utilization));
  const host = hostCpuFigures(signals, r.generator.cpuCores);
  const worker = `its busiest worker was busy ${Math.round(busiest * 100)}% of the time`;
  let why: string;
  if (host?.saturated) {
    why = `the machine was saturated (${describeHost(host)}; ${describeHolders(host)}) and ${worker}: the generator got too little CPU. Run it where it has a core to itself (or pin the target and the generator to separate cores with taskset), or stop the other work`;
  } else if (busiest > 0.9) {
    why = `${worker}${host ? ` while the machine had idle CPU (${describeHost(host)})` : ''}: one worker cannot send this rate. Add --workers`;
  } else if (host) {
    why = `${worker} and the machine had idle CPU (${describeHost(host)}): the delays came from the generator's own process (timers, garbage collection, the scheduler), not a lack of CPU. Run it again or on another machine`;
  } else {
    why = `${worker} (the machine's CPU is not read on this platform: if that is low, other processes were competing for the CPU). Run the generator where it has a core to itself, or add --workers if it was busy`;
  }
  return {
    id: 'generator-saturated',
    severity: 'warning',
    message: `The generator could not keep its schedule: ${r.generator.reasons.join('; ')}. Latency figures include the client's own delays, so they cannot pass a verdict on the target: ${why}; or accept more with --max-lateness.`,
    evidence: {
      ownDelayMs: r.generator.ownDelay?.meanMs ?? 0,
      ownDelaySharePct: r.generator.ownDelay?.share ?? 0,
      tolerance: r.generator.ownDelay?.tolerance ?? '',
      lagP99Ms: r.generator.eventLoopLag.p99,
      lagMaxMs: r.generator.eventLoopLag.max,
      late: r.schedule?.late ?? 0,
      workerBusyPct: Math.round(busiest * 1000) / 10,
      ...(host ? hostEvidence(host) : {}),
    },
  };
}

/**
 * Recommendations drawn only from this run's evidence: each names the
 * figures it rests on, and none is emitted without them.
 */
export function recommend(r: Draft, signals: ServerSignals | null = null): Recommendation[] {
  const out: Recommendation[] = [];
  const errors = r.errors.byCategory;

  if (r.generator.saturated) out.push(generatorSaturated(r, signals));

  if (r.model === 'closed') {
    out.push({
      id: 'closed-model',
      severity: 'info',
      message:
        'Closed model: each connection waited for its answer before sending again, so latency is not corrected for coordinated omission and stalls look shorter than users see them. Use --rate for honest latency.',
      evidence: { connections: r.options.connections },
    });
    const busiest = Math.max(0, ...r.generator.perWorker.map((w) => w.utilization));
    if (busiest > 0.9) {
      out.push({
        id: 'generator-busy',
        severity: 'info',
        message: `A worker was busy ${Math.round(busiest * 100)}% of the time: throughput may be limited by the generator, not the server. Try more --workers.`,
        evidence: { utilization: busiest },
      });
    }
  }

  if (r.requests.total > 0 && r.requests.ok === 0) {
    out.push({
      id: 'nothing-succeeded',
      severity: 'warning',
      message: `No request succeeded (${r.requests.total} failed: ${describeErrors(errors)}): there is nothing to measure, and no latency or throughput figure describes the target.`,
      evidence: { requests: r.requests.total, ok: 0 },
    });
  }

  const connectionErrors = errors.refused + errors.reset + errors.connectTimeout;
  if (r.errors.total > 0 && connectionErrors / r.errors.total >= 0.5) {
    const targets = [...new Set(r.options.urls.map((u) => new URL(u).host))].join(', ');
    const dead = errors.refused === r.errors.total && r.requests.ok === 0;
    out.push({
      id: 'connection-errors',
      severity: 'warning',
      message: dead
        ? `Every connection to ${targets} was refused: nothing listens there. Start the server, or check the host and port.`
        : `${pct(connectionErrors, r.errors.total)}% of errors are at the connection level (refused ${errors.refused}, reset ${errors.reset}, connect timeout ${errors.connectTimeout}): the server or a proxy is dropping connections. Check that it runs, its listen backlog, connection limits and keep-alive settings.`,
      evidence: {
        refused: errors.refused,
        reset: errors.reset,
        connectTimeout: errors.connectTimeout,
        errors: r.errors.total,
      },
    });
  }
  if (errors.rateLimited > 0)
    out.push(
      rateLimitFinding(
        errors.rateLimited,
        r.requests.total,
        r.errors.rateLimitHeaders,
        'stay under the limit with --rate; to test the limit itself, accept it with --expect-status 200,429',
      ),
    );
  if (errors.timeout > 0) {
    out.push({
      id: 'timeouts',
      severity: 'warning',
      message: `${errors.timeout} requests got no answer within ${ms(r.options.timeoutMs)}: the server stalls or queues beyond the timeout.`,
      evidence: { timeouts: errors.timeout, timeoutMs: r.options.timeoutMs },
    });
  }
  const fiveXX = Object.entries(r.statusCodes).filter(([s]) => s.startsWith('5'));
  const fiveCount = fiveXX.reduce((s, [, n]) => s + n, 0);
  if (fiveCount > 0 && fiveCount >= r.requests.total * 0.001) {
    const top = fiveXX.sort((a, b) => b[1] - a[1])[0]!;
    out.push({
      id: 'server-errors',
      severity: 'warning',
      message: `${fiveCount} responses were 5xx (mostly ${top[0]}, ${top[1]}): the server is failing${top[0] === '503' ? ' or shedding load (503: overloaded or unavailable)' : ''}. Its logs say why.`,
      evidence: { count: fiveCount, topStatus: top[0] },
    });
  }

  const bimodal = findBimodal(r.distribution.buckets);
  if (bimodal) {
    out.push({
      id: 'bimodal-latency',
      severity: 'warning',
      message: `Latency is bimodal: most requests take about ${ms(bimodal.fast.toMs)}, but ${pct(bimodal.slowShare, 1)}% take about ${ms(bimodal.slow.toMs)}. Two populations usually mean periodic stalls (GC pauses, a lock, a blocking call) or a slow path (cache miss, cold query).`,
      evidence: {
        fastMs: bimodal.fast.toMs,
        slowMs: bimodal.slow.toMs,
        slowSharePct: pct(bimodal.slowShare, 1),
      },
    });
  }

  const { corrected, service } = r.latency;
  if (
    r.model === 'open' &&
    r.schedule &&
    r.schedule.queued > 0 &&
    isMeasured(corrected) &&
    isMeasured(service)
  ) {
    // The percentile where waiting for a connection adds the most, relative to service time.
    const gaps = (['p50', 'p90', 'p95', 'p99'] as const)
      .map((p) => ({ p, c: corrected[p], s: service[p] }))
      .filter((g) => g.c - g.s > 5 && g.c > 2 * g.s)
      .sort((a, b) => b.c / Math.max(b.s, 0.001) - a.c / Math.max(a.s, 0.001));
    const g = gaps[0];
    if (g) {
      out.push({
        id: 'queueing',
        severity: 'warning',
        message: `Corrected ${g.p} (${ms(g.c)}) is ${(g.c / Math.max(g.s, 0.001)).toFixed(1)}× the service ${g.p} (${ms(g.s)}): ${r.schedule.queued} requests waited for a connection. Time is lost queueing, not serving: raise the connection cap (-c) or the server's concurrency.`,
        evidence: { percentile: g.p, correctedMs: g.c, serviceMs: g.s, queued: r.schedule.queued },
      });
    }
  }

  const saturation = findSaturation(r);
  if (saturation) out.push(saturation);

  if (r.endpoints.length > 1) {
    // Compare medians: robust to the tail noise of a shared machine; the message gives p99 too.
    const measured = r.endpoints.flatMap((e) =>
      isMeasured(e.latency.corrected) ? [{ name: e.name, latency: e.latency.corrected }] : [],
    );
    const sorted = measured.sort((a, b) => a.latency.p50 - b.latency.p50);
    const fast = sorted[0];
    const slow = sorted.at(-1);
    if (fast && slow && fast !== slow) {
      const f = fast.latency;
      const s = slow.latency;
      if (s.p50 >= 3 * Math.max(f.p50, 0.001) && s.p50 - f.p50 > 1) {
        out.push({
          id: 'slow-endpoint',
          severity: 'info',
          message: `${slow.name} is ${(s.p50 / Math.max(f.p50, 0.001)).toFixed(1)}× slower at the median (${ms(s.p50)}, p99 ${ms(s.p99)}) than ${fast.name} (${ms(f.p50)}, p99 ${ms(f.p99)}) under the same load: look at its queries and handlers first.`,
          evidence: {
            slow: slow.name,
            slowP50Ms: s.p50,
            slowP99Ms: s.p99,
            fast: fast.name,
            fastP50Ms: f.p50,
            fastP99Ms: f.p99,
          },
        });
      }
    }
  }
  // Warnings first (stable): what went wrong reads before background notes.
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'warning' ? -1 : 1));
}

/**
 * Saturation: late in the run, throughput stays flat (or falls short of the
 * target) while p99 climbs well above where it started.
 */
function findSaturation(r: Draft): Recommendation | undefined {
  // Open model: only the scheduled seconds (not the drain of late answers after the schedule).
  const series = r.series.filter(
    (p) => p.requests > 0 && !p.partial && (r.model === 'closed' || p.targetRps !== undefined),
  );
  if (series.length < 6) return undefined;
  const third = Math.floor(series.length / 3);
  const head = series.slice(0, third);
  const tail = series.slice(-third);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const p99Head = mean(head.map((p) => p.corrected.p99));
  const p99Tail = mean(tail.map((p) => p.corrected.p99));
  const rpsHead = mean(head.map((p) => p.rps));
  const rpsTail = mean(tail.map((p) => p.rps));
  const targetTail = mean(tail.map((p) => p.targetRps ?? p.rps));
  const rising = p99Tail > 2 * p99Head && p99Tail - p99Head > 5;
  const flat = rpsTail < targetTail * 0.95 || (r.model === 'closed' && rpsTail < rpsHead * 1.1);
  if (!rising || !flat) return undefined;
  return {
    id: 'saturation',
    severity: 'warning',
    message: `Throughput levels off at about ${Math.round(rpsTail)} req/s${r.model === 'open' ? ` (asked for ${Math.round(targetTail)})` : ''} while p99 climbs from ${ms(p99Head)} to ${ms(p99Tail)}: the server is saturated near ${Math.round(rpsTail)} req/s.`,
    evidence: {
      rpsTail: Math.round(rpsTail),
      targetRpsTail: Math.round(targetTail),
      p99HeadMs: Math.round(p99Head * 1000) / 1000,
      p99TailMs: Math.round(p99Tail * 1000) / 1000,
    },
  };
}
