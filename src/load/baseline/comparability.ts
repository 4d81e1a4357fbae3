import { formatDuration } from '../../core/duration.js';
import { hostCpuFigures } from '../bottleneck/host-cpu-figures.js';
import type { LoadResult } from '../load-result.js';
import type { LoadBaseline } from './baseline-file.js';

const stagesText = (s: { durationMs: number; target: number }[] | null) =>
  s === null ? 'none' : s.map((x) => `${formatDuration(x.durationMs)}:${x.target}`).join(',');

/** A difference in the machine's mean busy share (percentage points) that a comparison names. */
export const MACHINE_BUSY_DIFFERENCE_PCT = 25;

/**
 * The machine's CPU differed between the runs: more CPUs, or one run on a
 * saturated (or much busier) machine. The target shares those CPUs, so its
 * latency moves with them, and a "regression" may be the machine's. When
 * the baseline recorded the run's own share (`othersBusyPct`), only the
 * other load is compared: a local target that got faster or slower changes
 * the machine's busy share by itself.
 */
function machineWarnings(baseline: LoadBaseline, result: LoadResult): string[] {
  const before = baseline.machine;
  const host = hostCpuFigures(result.signals, result.generator.cpuCores);
  if (!before || !host) return [];
  const busyPct = Math.round(host.busy * 1000) / 10;
  const out: string[] = [];
  if (before.cpus !== host.cpus) out.push(`the machine's CPUs changed: ${before.cpus} → ${host.cpus}`);
  if (before.othersBusyPct !== undefined) {
    // Both runs know their own share (tenon, a local target's processes, the database when read):
    // only the rest, other load, makes the machine differ. The target's own work is what is compared.
    const othersPct = Math.round(host.othersBusy * 1000) / 10;
    if (Math.abs(before.othersBusyPct - othersPct) >= MACHINE_BUSY_DIFFERENCE_PCT)
      out.push(
        `other processes kept the machine's CPUs ${before.othersBusyPct}% busy during the baseline and ${othersPct}% during this run (${before.busyPct}% and ${busyPct}% in all, less ${host.discounted.join(', ')}): latency differences may be the machine's, not the target's`,
      );
    return out;
  }
  const saturation = before.saturated !== host.saturated;
  if (saturation || Math.abs(before.busyPct - busyPct) >= MACHINE_BUSY_DIFFERENCE_PCT) {
    const state = (pct: number, saturated: boolean) => `${pct}% busy${saturated ? ', saturated' : ''}`;
    out.push(
      `the machine's CPUs were ${state(before.busyPct, before.saturated)} during the baseline and ${state(busyPct, host.saturated)} during this run: latency differences may be the machine's, not the target's`,
    );
  }
  return out;
}

/**
 * Why a run and its baseline may not be comparable: a different model,
 * load, target, duration, success rule, machine (its CPU count or how busy
 * it was), or a run whose figures are not sound (interrupted, generator
 * saturated). Warnings, not errors: the
 * comparison is still made, and the user judges.
 */
export function comparabilityWarnings(baseline: LoadBaseline, result: LoadResult): string[] {
  const b = baseline.options;
  const c = result.options;
  const out: string[] = [];
  const differs = (what: string, before: unknown, now: unknown) => {
    if (JSON.stringify(before) !== JSON.stringify(now))
      out.push(`${what} changed: ${String(before)} → ${String(now)}`);
  };
  differs('model', baseline.model, result.model);
  if (baseline.model === 'open' && result.model === 'open') {
    differs('rate (req/s)', b.rate, c.rate);
    differs('stages', stagesText(b.stages), stagesText(c.stages));
  } else differs('connections', b.connections, c.connections);
  if (baseline.model !== result.model)
    out.push('latency compared as service time (the closed model has no corrected latency)');
  differs('duration', formatDuration(b.durationMs), formatDuration(c.durationMs));
  differs('requests (-n)', b.requests, c.requests);
  differs('warmup', formatDuration(b.warmupMs), formatDuration(c.warmupMs));
  differs('method', b.method, c.method);
  differs('expected statuses', b.expectStatus.join(',') || '< 400', c.expectStatus.join(',') || '< 400');
  differs('URLs', b.urls.join(' '), c.urls.join(' '));
  if (baseline.interrupted) out.push('the baseline run was interrupted');
  if (result.interrupted) out.push('this run was interrupted');
  if (baseline.generatorSaturated)
    out.push("the baseline's generator was saturated: its figures are not trustworthy");
  if (result.generator.saturated)
    out.push("this run's generator was saturated: its figures are not trustworthy");
  out.push(...machineWarnings(baseline, result));
  if (result.requests.ok === 0) out.push('no request succeeded in this run: there is no latency to compare');
  if (baseline.requests.ok === 0)
    out.push('no request succeeded in the baseline: there is no latency to compare');
  return out;
}
