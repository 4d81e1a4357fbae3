import { formatDuration } from '../../core/duration.js';
import type { LoadResult } from '../load-result.js';
import type { LoadBaseline } from './baseline-file.js';

const stagesText = (s: { durationMs: number; target: number }[] | null) =>
  s === null ? 'none' : s.map((x) => `${formatDuration(x.durationMs)}:${x.target}`).join(',');

/**
 * Why a run and its baseline may not be comparable: a different model,
 * load, target, duration, success rule, or a run whose figures are not
 * sound (interrupted, generator saturated). Warnings, not errors: the
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
  if (result.requests.ok === 0) out.push('no request succeeded in this run: there is no latency to compare');
  if (baseline.requests.ok === 0)
    out.push('no request succeeded in the baseline: there is no latency to compare');
  return out;
}
