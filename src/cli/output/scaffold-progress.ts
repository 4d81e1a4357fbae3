import type { GenerateEvent, InstallEvent } from '../../scaffold/index.js';
import type { Progress } from './progress.js';

/** Renders `generateProject`'s events as milestones. */
export function generateProgress(progress: Progress): (event: GenerateEvent) => void {
  return (event) => {
    if (event.type === 'model-built')
      progress.milestone(
        `read ${event.resources} resource(s), ${event.operations} operation(s) (${event.operations - event.handlers} CRUD, ${event.handlers} handler(s) of their own)`,
      );
    else progress.milestone(`rendered ${event.files} file(s)`);
  };
}

/** Renders `installDependencies`' events: npm's lines on the live line only (a log gets the milestones). */
export function installProgress(progress: Progress): (event: InstallEvent) => void {
  return (event) => progress.update(`npm install: ${event.line}`);
}
