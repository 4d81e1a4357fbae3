import type { AnalyzeEvent } from '../../analyze/index.js';
import type { Progress } from './progress.js';

/** Renders `analyzeDatabase`'s events: each check as a milestone (the report says how each ended). */
export function analyzeProgress(progress: Progress): (event: AnalyzeEvent) => void {
  return (event) => {
    if (event.type === 'check-start')
      progress.milestone(`checking ${event.id} (${event.index + 1}/${event.total})`);
  };
}
