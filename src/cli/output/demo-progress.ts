import type { DemoEvent } from '../../demo/index.js';
import { formatMs } from '../../report/format.js';
import type { Colors } from './colors.js';
import { loadProgressText } from './load-progress.js';
import type { Progress } from './progress.js';

/**
 * Renders `runDemo`'s events: each step as a milestone when it starts and a
 * line when it is done (with what it did), and the load steps' seconds on
 * the live line.
 */
export function demoProgress(progress: Progress, c: Colors): (event: DemoEvent) => void {
  let current = '';
  return (event) => {
    switch (event.type) {
      case 'step-start':
        current = `[${event.index + 1}/${event.total}] ${event.message}`;
        progress.milestone(current);
        break;
      case 'step-done':
        progress.line(
          `${c.green('✓')} ${current} ${c.dim(`(${formatMs(event.durationMs)})`)}\n  ${c.dim(event.message)}`,
        );
        break;
      case 'load-progress':
        progress.update(`${current} · ${loadProgressText(event.progress)}`);
        break;
    }
  };
}
