import type { LoadEvent, LoadProgress } from '../../load/index.js';
import { formatLatency } from '../../report/format.js';
import type { Progress } from './progress.js';

/** Seconds between milestone lines of a load run when stderr is not a terminal. */
export const LOAD_MILESTONE_SECONDS = 10;

/** `12/30s · target 500 · achieved 498 req/s · p99 3.41 ms · errors 0` (`p99 —` while nothing succeeded). */
export function loadProgressText(p: LoadProgress): string {
  const of = p.plannedSeconds ? `/${Math.round(p.plannedSeconds)}s` : 's';
  const target = p.point.targetRps !== undefined ? `target ${Math.round(p.point.targetRps)} · ` : '';
  // p99 is of the successful responses: with none yet, no latency describes the target (not "0.00 ms").
  const p99 = formatLatency(p.p99, p.requests - p.errors);
  return `${p.elapsedSeconds}${of} · ${target}achieved ${Math.round(p.point.rps)} req/s · p99 ${p99} · errors ${p.errors}`;
}

/**
 * Renders `runLoad`'s events: every second on the live line, and a
 * milestone when the run starts and every {@link LOAD_MILESTONE_SECONDS}
 * seconds of measurement (the lines a log gets). `label` prefixes them.
 */
export function loadProgress(progress: Progress, label = 'load'): (event: LoadEvent) => void {
  let lastMilestone = 0;
  return (event) => {
    if (event.type === 'run-start') {
      const seconds = (ms: number) => `${Math.round(ms / 100) / 10}s`;
      const what = event.durationMs === undefined ? '' : ` for ${seconds(event.durationMs)}`;
      const warmup = event.warmupMs > 0 ? ` after ${seconds(event.warmupMs)} of warmup` : '';
      progress.milestone(
        `${label}: ${event.model} model, ${event.workers} worker${event.workers > 1 ? 's' : ''}, measuring${what}${warmup}`,
      );
      return;
    }
    const text = `${label}: ${loadProgressText(event.progress)}`;
    const second = Math.floor(event.progress.elapsedSeconds);
    if (second >= lastMilestone + LOAD_MILESTONE_SECONDS) {
      lastMilestone = second;
      progress.milestone(text);
    } else progress.update(text);
  };
}
