import type { ServerSignals } from '../../core/signals/server-signals.js';

/** One holder of the machine's CPU over a run. */
export interface CpuHolder {
  /** `database`, `app`, `generator` or `other`. */
  who: 'database' | 'app' | 'generator' | 'other';
  /** Mean cores it used. */
  cores: number;
  /** Its share of the machine's busy CPU, 0–1. */
  share: number;
}

/** The machine's CPU over a run and who held it. */
export interface HostCpuFigures {
  cpus: number;
  /** Mean busy share of all CPUs, 0–1, and in cores. */
  busy: number;
  busyCores: number;
  /** The busiest interval's share. */
  busyMax: number;
  /** Mean runnable threads per CPU at the samples (above 1: threads waited for a core). */
  runQueuePerCpu: number;
  /** Holders with a known figure, the largest first; `other` is what is left of the busy cores. */
  holders: CpuHolder[];
  /** What could not be attributed, in words (no --pid, the database not on this machine). */
  unknown: string[];
  /** Saturated: the CPUs were busy ≥ 85 % of the run on average. */
  saturated: boolean;
  /**
   * Mean share of all CPUs busy with anything but the run's own processes
   * (see {@link discounted}): the other load a baseline comparison compares.
   */
  othersBusy: number;
  /** What {@link othersBusy} leaves out, in words (tenon always). */
  discounted: string[];
}

/** A holder with this share of the busy cores of a saturated machine is named as the one holding it. */
export const HOLDER_SHARE = 0.35;

/** The machine counts as saturated from this mean busy share of all its CPUs. */
export const HOST_SATURATED = 0.85;

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Reads the machine's CPU figures of a run and splits its busy cores among
 * who is known to hold them: the database server (`--db` on this machine),
 * the app (`--pid`, else `--metrics` process CPU), tenon's own process (the
 * generator), and the rest (other processes). Undefined without host
 * signals (not Linux) or without a full interval.
 */
export function hostCpuFigures(
  signals: ServerSignals | null,
  generatorCores: number,
): HostCpuFigures | undefined {
  const host = signals?.host;
  const points = host?.series.filter((p) => p.second >= 0.5) ?? [];
  if (!host || points.length === 0) return undefined;
  const busy = mean(points.map((p) => p.busy));
  const busyCores = busy * host.cpus;
  const unknown: string[] = [];
  const known: Omit<CpuHolder, 'share'>[] = [];

  const db = signals?.db;
  const dbCpu = db?.series.filter((p) => p.cpu !== undefined).map((p) => p.cpu!) ?? [];
  if (dbCpu.length > 0) known.push({ who: 'database', cores: mean(dbCpu) });
  else if (db) unknown.push(`the database's CPU (${db.cpu.reason ?? 'not read'})`);

  const proc = signals?.process?.series.filter((p) => p.second >= 0.5) ?? [];
  const metricsCpu = signals?.metrics?.series.filter((p) => p.cpu !== undefined).map((p) => p.cpu!) ?? [];
  if (proc.length > 0) known.push({ who: 'app', cores: mean(proc.map((p) => p.cpu)) });
  else if (metricsCpu.length > 0) known.push({ who: 'app', cores: mean(metricsCpu) });
  else unknown.push("the app's CPU (give --pid, or --metrics with process_cpu_seconds_total)");

  known.push({ who: 'generator', cores: generatorCores });
  const own = ownCores(signals, known, generatorCores);
  const attributed = known.reduce((s, h) => s + h.cores, 0);
  known.push({ who: 'other', cores: Math.max(0, busyCores - attributed) });
  const total = Math.max(busyCores, attributed, 0.001);
  const holders = known
    .map((h) => ({ ...h, cores: Math.round(h.cores * 100) / 100, share: Math.min(1, h.cores / total) }))
    .sort((a, b) => b.cores - a.cores);
  return {
    cpus: host.cpus,
    busy,
    busyCores,
    busyMax: Math.max(...points.map((p) => p.busy)),
    runQueuePerCpu: mean(points.map((p) => p.running)) / host.cpus,
    holders,
    unknown,
    saturated: busy >= HOST_SATURATED,
    othersBusy: Math.max(0, busyCores - own.cores) / host.cpus,
    discounted: own.names,
  };
}

/**
 * The cores the run itself used: tenon, the target (its listening processes
 * and their descendants when sampled, else the app's `--pid`/`--metrics`
 * figure) and the database when its CPU was read.
 */
function ownCores(
  signals: ServerSignals | null,
  known: readonly Omit<CpuHolder, 'share'>[],
  generatorCores: number,
): { cores: number; names: string[] } {
  let cores = generatorCores;
  const names = ['tenon'];
  const local = signals?.localTarget;
  const localCpu = local?.series.filter((p) => p.second >= 0.5).map((p) => p.cores) ?? [];
  const app = known.find((h) => h.who === 'app');
  if (local && localCpu.length > 0) {
    cores += mean(localCpu);
    names.push(
      `the processes listening on port ${local.ports.join(', ')} and their children (${local.processes
        .slice(0, 5)
        .map((p) => `${p.name} ${p.pid}`)
        .join(', ')}${local.processes.length > 5 ? ', …' : ''})`,
    );
  } else if (app) {
    cores += app.cores;
    names.push('the app (--pid or --metrics)');
  }
  const db = known.find((h) => h.who === 'database');
  if (db) {
    cores += db.cores;
    names.push('the database server (--db)');
  }
  return { cores, names };
}

/** Holders in words. */
export const HOLDER_NAMES: Record<CpuHolder['who'], string> = {
  database: 'the database server',
  app: 'the app',
  generator: 'the load generator (tenon)',
  other: 'other processes',
};

/** `the database server 1.31 cores (66%), other processes 0.4 (20%), …`: the holders in words. */
export function describeHolders(f: HostCpuFigures): string {
  const parts = f.holders
    .filter((h) => h.cores >= 0.01)
    .map(
      (h, i) =>
        // With the app or the database unread, what is left is not only other processes.
        `${h.who === 'other' && f.unknown.length ? 'the rest' : HOLDER_NAMES[h.who]} ${h.cores}${i === 0 ? ' cores' : ''} (${Math.round(h.share * 100)}%)`,
    );
  return parts.join(', ');
}

/** `2 CPUs 97% busy, run queue 3.1 per CPU`. */
export function describeHost(f: HostCpuFigures): string {
  return `${f.cpus} CPU${f.cpus === 1 ? '' : 's'} ${Math.round(f.busy * 100)}% busy, run queue ${Math.round(f.runQueuePerCpu * 10) / 10} per CPU`;
}

/** Evidence fields of the machine's figures, for a verdict. */
export function hostEvidence(f: HostCpuFigures): Record<string, number> {
  const out: Record<string, number> = {
    hostCpus: f.cpus,
    hostBusyPct: Math.round(f.busy * 1000) / 10,
    hostBusyMaxPct: Math.round(f.busyMax * 1000) / 10,
    hostRunQueuePerCpu: Math.round(f.runQueuePerCpu * 100) / 100,
  };
  for (const h of f.holders) out[`${h.who}Cores`] = h.cores;
  return out;
}
