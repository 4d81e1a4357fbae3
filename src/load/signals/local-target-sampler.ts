import { performance } from 'node:perf_hooks';
import { TICKS_PER_SECOND } from '../../core/signals/proc-stat.js';
import type { LocalTargetSignals, SignalSource } from '../../core/signals/server-signals.js';
import { listeningInodes, processStats, socketOwners, withDescendants } from './listening-processes.js';

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

/** CPU ticks and name of each process of `pids` in `stats` (an exited one's last interval is lost). */
function ticksOf(
  pids: readonly number[],
  stats: ReadonlyMap<number, { cpuTicks: number; name: string }>,
): Map<number, { ticks: number; name: string }> {
  const out = new Map<number, { ticks: number; name: string }>();
  for (const pid of pids) {
    const f = stats.get(pid);
    if (f) out.set(pid, { ticks: f.cpuTicks, name: f.name });
  }
  return out;
}

/**
 * Samples the CPU of a target on this machine: the processes that own the
 * sockets listening on `ports` (found once, at the start) and their
 * descendants (found again at every sample, so workers forked during the
 * run count). A baseline comparison discounts it from the machine's busy
 * CPU, so the target's own work (a sequential scan in an in-process
 * database, its cluster workers) is not taken for other load.
 *
 * Not counted: processes the target only talks to (a PostgreSQL server it
 * connects to is no child of it; `--db` reads that one), processes of
 * another user that /proc does not show this one, a process's CPU in the
 * interval in which it exits, and tenon itself (counted as the generator).
 * A target whose listener cannot be found is a note, not an error.
 */
export function createLocalTargetSampler(
  ports: readonly number[],
  proc = '/proc',
): SignalSource<LocalTargetSignals> {
  const series: LocalTargetSignals['series'] = [];
  const notes: string[] = [];
  let roots: number[] = [];
  const seen = new Map<number, string>();
  let last: { at: number; ticks: Map<number, { ticks: number; name: string }> } | undefined;
  const take = () => {
    // One read of every process's stat gives both the descendants and their CPU.
    const stats = processStats(proc);
    const pids = withDescendants(roots, proc, stats).filter((pid) => pid !== process.pid);
    const ticks = ticksOf(pids, stats);
    for (const [pid, { name }] of ticks) seen.set(pid, name);
    return { at: performance.now(), ticks };
  };
  return {
    async start() {
      try {
        roots = socketOwners(listeningInodes(ports, proc), proc).filter((pid) => pid !== process.pid);
        if (roots.length === 0) {
          notes.push(
            `no process of this user listens on port ${ports.join(', ')}: the target's own CPU is not discounted`,
          );
          return;
        }
        last = take();
      } catch (error) {
        notes.push(`the target's processes cannot be read (${(error as Error).message})`);
      }
    },
    async sample(second) {
      if (!last) return;
      try {
        const now = take();
        let ticks = 0;
        // A process new since the last sample (a forked worker) counts with all its CPU so far.
        for (const [pid, t] of now.ticks) ticks += t.ticks - (last.ticks.get(pid)?.ticks ?? 0);
        const wallMs = Math.max(1, now.at - last.at);
        if (second > 0)
          series.push({
            second: round(second),
            cores: round(Math.max(0, (ticks * 1000) / TICKS_PER_SECOND / wallMs)),
          });
        last = now;
      } catch (error) {
        last = undefined;
        notes.push(
          `the target's processes could not be read at ${round(second, 1)} s (${(error as Error).message})`,
        );
      }
    },
    async finish() {
      return {
        ports: [...ports],
        processes: [...seen].map(([pid, name]) => ({ pid, name })),
        series,
        notes,
      };
    },
    async close() {},
  };
}
